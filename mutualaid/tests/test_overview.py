"""The eligibility overview and the checklist: a fixed number of queries, scoped to who may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualaid.criteria import evaluate_all
from mutualaid.home import CANDIDATES_SHOWN, panels
from partners.choices import Rating


def build_network(make_partner, size, offset=0):
    for i in range(size):
        # Vary the facts so every evaluator takes several paths.
        make_partner(
            f"机构{offset + i:03d}",
            rating=[Rating.GOOD, Rating.NEEDS_IMPROVEMENT, None][i % 3],
            award=i % 2 == 0,
            plan=i % 4 != 1,
            endorsed=i % 5 != 2,
            started=None if i % 6 == 0 else datetime.date(2020, 1, 1),
        )


@pytest.mark.parametrize("size", [5, 50])
def test_evaluating_every_organisation_costs_the_same_queries_whatever_their_number(
    make_partner, policy, django_assert_num_queries, size
):
    build_network(make_partner, size)
    # organisations + centres + assessments + awards + plans + experiences + help given
    with django_assert_num_queries(7):
        evaluations = evaluate_all(as_of=datetime.date(2024, 12, 31), policy=policy)
    assert len(evaluations) == size


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_networks_cached_evaluation_says_what_evaluating_each_organisation_says(
    make_partner, policy, language
):
    from django.utils import translation

    from mutualaid.criteria import evaluate_network

    build_network(make_partner, 12)
    today = timezone.localdate()
    with translation.override(language):
        direct = evaluate_all(as_of=today, policy=policy)
        computed = evaluate_network(today, policy)
        cached = evaluate_network(today, policy)
    expected = [
        (
            e.organisation.pk,
            e.organisation.display_name,
            e.organisation.prefecture.name,
            e.missing_count,
            [(r.status, r.explanation, r.required) for r in e.results],
        )
        for e in direct
    ]
    for network in (computed, cached):
        assert [
            (
                e.organisation.pk,
                e.organisation.display_name,
                e.organisation.prefecture,
                e.missing_count,
                [(r.status, r.explanation, r.required) for r in e.results],
            )
            for e in network
        ] == expected
    assert cached[0].result("project_year").status == direct[0].result("project_year").status
    explained_in_english = any("programme funder" in r.explanation for e in cached for r in e.results)
    assert explained_in_english == (language == "en")


@pytest.mark.parametrize("size", [5, 50])
def test_the_overview_page_runs_a_fixed_number_of_queries(
    make_partner, hub_staff, client_for, policy, django_assert_num_queries, size
):
    build_network(make_partner, size)
    client = client_for(hub_staff)
    # session + user + policy + 7 for the evaluation + members
    with django_assert_num_queries(11):
        response = client.get(reverse("mutualaid:overview"))
    assert response.status_code == 200
    assert len(response.context["evaluations"]) == size
    # The page is cached until its data changes, and answered before the session or the person is read.
    with django_assert_num_queries(0):
        again = client.get(reverse("mutualaid:overview"))
    table = response.content.decode().partition('id="overview"')[2].partition("</table>")[0]
    assert table and again.content.decode().partition('id="overview"')[2].partition("</table>")[0] == table
    # Another view of the same evaluation is drawn, the evaluation cached: session + user + policy + members.
    with django_assert_num_queries(4):
        assert client.get(reverse("mutualaid:overview"), {"missing": "1"}).status_code == 200


def test_the_overview_shows_each_criterion_with_its_explanation_and_the_policy_version(
    make_partner, hub_staff, client_for, policy
):
    make_partner(
        "都安瑶山社会工作服务中心", rating=Rating.NEEDS_IMPROVEMENT, rated_on=datetime.date(2024, 5, 3)
    )
    html = client_for(hub_staff).get(reverse("mutualaid:overview")).content.decode()
    assert "政策第 1 版" in html
    assert "<details" in html
    assert "最近评估为 待改进 (2024-05)" in html
    assert "缺 1 项" in html


def test_the_missing_one_filter_lists_the_next_candidates_only(make_partner, hub_staff, client_for, policy):
    make_partner("全部符合")
    make_partner("只差奖项", award=False)
    make_partner("差两项", award=False, plan=False)
    response = client_for(hub_staff).get(reverse("mutualaid:overview"), {"missing": "1"})
    names = [e.organisation.name for e in response.context["evaluations"]]
    assert names == ["只差奖项"]


def test_the_cached_overview_shows_a_new_award_at_the_next_visit(
    make_partner, hub_staff, client_for, policy, django_capture_on_commit_callbacks
):
    from partners.models import Award

    org = make_partner("待颁奖机构", award=False)
    client = client_for(hub_staff)
    url = reverse("mutualaid:overview")
    assert "缺 1 项" in client.get(url).content.decode()
    assert "缺 1 项" in client.get(url).content.decode()  # from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        Award.objects.create(
            organisation=org, issuer="活力未来", year=2023, title="优秀伙伴", from_programme_funder=True
        )
    html = client.get(url).content.decode()
    assert "缺 1 项" not in html
    assert "2023 年「优秀伙伴」" in html


def test_a_refused_date_shows_its_message_at_every_visit_not_a_cached_page(hub_staff, client_for, policy):
    client = client_for(hub_staff)
    for _visit in range(2):
        response = client.get(reverse("mutualaid:overview"), {"as_of": "2024-02-30"})
        assert [str(m) for m in response.context["messages"]]


def test_only_page_numbers_as_the_pager_writes_them_take_a_cache_entry(rf, hub_staff):
    from mutualaid.views import OverviewView

    def kept(query):
        view = OverviewView()
        view.request = rf.get(reverse("mutualaid:overview"), query)
        view.request.user = hub_staff
        return view.page_values()

    assert kept({}) == {"as_of": "", "missing": "", "candidates": "", "page": ""}
    assert kept({"page": "2"}) == {"as_of": "", "missing": "", "candidates": "", "page": "2"}
    for odd in ("02", "x", "0", "99999", "-1", "2.0"):
        assert kept({"page": odd}) is None, odd


def test_a_partner_gets_no_page_the_hub_left_in_the_cache(
    make_partner, hub_staff, director, client_for, policy
):
    make_partner("某机构")
    assert client_for(hub_staff).get(reverse("mutualaid:overview")).status_code == 200
    assert client_for(director).get(reverse("mutualaid:overview")).status_code == 403


@pytest.mark.parametrize("status", ["met", "not_met", "unknown"])
@pytest.mark.parametrize("required", [True, False])
def test_an_overview_cell_is_what_the_round_pages_result_template_draws(status, required):
    from django.template.loader import render_to_string
    from django.utils.translation import gettext

    from mutualaid.criteria import CriterionResult
    from mutualaid.overview import _badges, result_cell

    result = CriterionResult("funder_award", status, {}, '奖项 <"活力未来"> & 优秀', required=required)
    optional = f' <span class="badge text-bg-light">{gettext("optional")}</span>'
    drawn = render_to_string("mutualaid/_result.html", {"r": result})
    assert result_cell(result, _badges(), optional) == f"<td>{drawn}</td>"


def test_a_partner_sees_its_own_checklist_and_what_is_missing(org_a, director, client_for, policy):
    response = client_for(director).get(reverse("mutualaid:checklist", args=[org_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "还缺" in html
    assert "尚未获得项目资助方（活力未来）颁奖" in html


def test_a_partner_gets_404_for_another_organisations_checklist(org_a, other, client_for, policy):
    assert client_for(other).get(reverse("mutualaid:checklist", args=[org_a.pk])).status_code == 404


def test_a_partner_cannot_open_the_overview_of_all_organisations(director, client_for):
    assert client_for(director).get(reverse("mutualaid:overview")).status_code == 403


@pytest.mark.parametrize("size", [5, 50])
def test_the_hub_home_panel_runs_a_fixed_number_of_queries(
    make_partner, hub_staff, rf, policy, django_assert_num_queries, size
):
    build_network(make_partner, size)
    request = rf.get("/")
    request.user = hub_staff
    # policy + members + 7 for the evaluation + 3 counts
    with django_assert_num_queries(12):
        (panel,) = panels(request)
    qualifying = {
        e.organisation.pk for e in evaluate_all(as_of=timezone.localdate(), policy=policy) if e.qualifies
    }
    # The box names the first few and counts them all; the overview lists the rest.
    assert panel["candidates_count"] == len(qualifying)
    assert {pk for pk, _name in panel["candidates"]} <= qualifying
    assert len(panel["candidates"]) == min(len(qualifying), CANDIDATES_SHOWN)
    assert panel["candidates_more"] == len(qualifying) - len(panel["candidates"])
    # The evaluation is cached until its data changes: policy + 3 counts.
    with django_assert_num_queries(4):
        (again,) = panels(request)
    assert again["candidates"] == panel["candidates"]


def test_the_hub_box_names_ten_candidates_and_links_the_overview_for_the_rest(
    make_partner, hub_staff, client_for, policy
):
    from mutualaid.models import Membership

    for i in range(13):
        make_partner(f"合格机构{i:02d}", rating=Rating.GOOD, award=True, plan=True, endorsed=True)
    everyone = [e for e in evaluate_all(as_of=timezone.localdate(), policy=policy) if e.qualifies]
    member = everyone[0].organisation  # qualifies, but is a member already: not a candidate
    Membership.objects.create(organisation=member, cohort="2024", joined_on=timezone.localdate())
    qualifying = [e for e in everyone if e.organisation != member]
    assert len(qualifying) > CANDIDATES_SHOWN  # the world this test needs
    html = client_for(hub_staff).get(reverse("home")).content.decode()
    box = html[html.index('id="mutualaid-panel"') :]
    box = box[: box.index("</div></div>")]
    assert f'<span class="badge text-bg-secondary" id="candidates-count">{len(qualifying)}</span>' in box
    names = box[box.index('id="candidates"') :]
    assert names[: names.index("</ul>")].count("<li>") == CANDIDATES_SHOWN
    more = len(qualifying) - CANDIDATES_SHOWN
    link = f"{reverse('mutualaid:overview')}?candidates=1"
    assert f'<a href="{link}">另有 {more} 项，查看全部</a>' in box
    # The link lists exactly those the box counts: qualifying, not members, nobody else.
    listed = client_for(hub_staff).get(link).context["evaluations"]
    assert sorted(e.organisation.pk for e in listed) == sorted(e.organisation.pk for e in qualifying)


def test_the_partner_home_panel_summarises_its_own_checklist(
    org_a, centre_a, director, rf, policy, django_assert_num_queries
):
    request = rf.get("/")
    request.user = director
    # policy + 7 for the evaluation + membership
    with django_assert_num_queries(9):
        (panel,) = panels(request)
    assert panel["evaluation"].organisation == org_a
    assert not panel["evaluation"].qualifies


def test_the_home_page_shows_the_partner_what_is_missing(org_a, director, client_for, policy):
    html = client_for(director).get(reverse("home")).content.decode()
    assert "区域互助支持小组" in html
    assert "查看清单" in html


def test_viewers_get_no_mutual_aid_panel(viewer, rf):
    request = rf.get("/")
    request.user = viewer
    assert panels(request) == []


@pytest.mark.django_db(transaction=True)
def test_the_hub_panel_sees_a_new_award_at_the_next_load(make_partner, hub_staff, rf, policy):
    from partners.models import Award, Organisation

    make_partner("待颁奖机构", award=False)
    request = rf.get("/")
    request.user = hub_staff
    (before,) = panels(request)
    org = Organisation.objects.get(name="待颁奖机构")
    assert org.pk not in {pk for pk, _name in before["candidates"]}
    Award.objects.create(
        organisation=org, issuer="活力未来", year=2023, title="优秀伙伴", from_programme_funder=True
    )
    (after,) = panels(request)
    assert org.pk in {pk for pk, _name in after["candidates"]}


@pytest.mark.django_db(transaction=True)
def test_the_overview_sees_a_new_endorsement_at_the_next_load(make_partner, hub_staff, client_for, policy):
    from partners.models import Organisation, SharedExperience

    make_partner("待认可机构", endorsed=False)
    org = Organisation.objects.get(name="待认可机构")
    client = client_for(hub_staff)
    before = client.get(reverse("mutualaid:overview")).context["evaluations"]
    assert not next(e for e in before if e.organisation.pk == org.pk).qualifies
    experience = SharedExperience.objects.filter(organisation=org).first() or SharedExperience.objects.create(
        organisation=org, area="teaching", title="绘本共读", text="每周两次绘本共读"
    )
    experience.endorse(by=hub_staff)
    after = client.get(reverse("mutualaid:overview")).context["evaluations"]
    assert next(e for e in after if e.organisation.pk == org.pk).qualifies


def test_the_overview_explains_in_the_readers_language(make_partner, hub_staff, client_for, policy):
    make_partner("双语机构", started=None)
    client = client_for(hub_staff)
    chinese = client.get(reverse("mutualaid:overview")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("mutualaid:overview")).content.decode()
    assert "起运行" in chinese
    assert "起运行" not in english
    assert "0-3 project running since" in english


def test_the_overview_shows_a_page_at_a_time_and_keeps_the_filter_in_the_links(
    make_partner, hub_staff, client_for, policy, monkeypatch
):
    from mutualaid.views import OverviewView

    monkeypatch.setattr(OverviewView, "paginate_by", 20)
    build_network(make_partner, 50)
    client = client_for(hub_staff)
    first = client.get(reverse("mutualaid:overview"), {"as_of": "2024-12-31"})
    assert len(first.context["evaluations"]) == 20
    assert first.context["page"].paginator.count == 50
    assert "as_of=2024-12-31&amp;page=2" in first.content.decode()
    last = client.get(reverse("mutualaid:overview"), {"as_of": "2024-12-31", "page": 3})
    assert len(last.context["evaluations"]) == 10
    shown = [e.organisation.pk for e in first.context["evaluations"] + last.context["evaluations"]]
    assert len(set(shown)) == 30
    # The summary counts every organisation, not just the page.
    assert first.context["qualified"] == last.context["qualified"]
