import datetime
import re

import pytest
from django.urls import reverse

from hubsite.core.models import Notification
from partners.choices import OrganisationStatus
from partners.coverage import data_changed
from partners.models import Centre, Organisation, User

COVERED = {"450100", "450200", "450300", "450800", "450900", "451000", "451200", "451300"}
UNCOVERED = {"450400", "450500", "450600", "450700", "451100", "451400"}


def _codes(svg, css):
    import re

    return set(re.findall(rf'class="prefecture {css}" data-code="(\d+)"', svg))


def test_the_map_shows_the_demo_networks_eight_covered_and_six_uncovered_prefectures(demo, client_for):
    viewer = User.objects.get(email="viewer@example.org")
    response = client_for(viewer).get(reverse("coverage:index"))
    page = response.content.decode()
    assert _codes(page, "covered") == COVERED
    assert _codes(page, "uncovered") == UNCOVERED
    coverage = response.context["coverage"]
    assert coverage.total_centres == 16 == Centre.objects.operating().count()
    for row in coverage.prefectures:
        registry = Centre.objects.operating().filter(prefecture=row.prefecture).count()
        assert row.centres == registry, row.prefecture.name


def test_the_date_picker_shows_coverage_in_the_past(demo, client_for):
    hub_staff = User.objects.get(email="staff@example.org")
    response = client_for(hub_staff).get(reverse("coverage:index"), {"as_of": "2019-01-01"})
    coverage = response.context["coverage"]
    assert {row.prefecture.code for row in coverage.covered} == {"450100"}
    assert coverage.total_centres == 2  # the hub's first two centres, April 2018


def test_the_coverage_page_runs_a_fixed_number_of_queries(
    client_for, viewer, org_a, make_centre, django_assert_num_queries
):
    client = client_for(viewer)
    client.get(reverse("coverage:index"))
    data_changed()
    # session, user, prefectures, site types, year ends, families per year
    with django_assert_num_queries(6):
        client.get(reverse("coverage:index"))
    # Cached until the data changes, and answered before the session and the person are loaded.
    with django_assert_num_queries(0):
        client.get(reverse("coverage:index"))
    for i in range(25):
        make_centre(org_a, f"园{i}", datetime.date(2019 + i % 6, 3, 1))
    data_changed()  # what the centre's signal does on commit
    with django_assert_num_queries(6):
        response = client.get(reverse("coverage:index"))
    assert response.context["coverage"].total_centres == 25


def test_the_prefecture_page_runs_a_fixed_number_of_queries(
    client_for, partner, org_a, make_centre, django_assert_num_queries
):
    client = client_for(partner)
    url = reverse("coverage:prefecture", args=["451200"])
    make_centre(org_a, "园", datetime.date(2020, 3, 1))
    client.get(url)
    # session, user, prefecture, centres, organisations, prospects, indicators, the monthly series
    with django_assert_num_queries(8):
        client.get(url)
    for i in range(20):
        make_centre(org_a, f"园{i}", datetime.date(2020, 3, 1))
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["centres"]) == 21


def test_an_uncovered_prefecture_page_names_the_nearest_covered_ones(
    client_for, viewer, centre_a, prefectures
):
    Organisation.objects.create(
        name="钦州海湾", prefecture=prefectures["450700"], status=OrganisationStatus.PROSPECT
    )
    response = client_for(viewer).get(reverse("coverage:prefecture", args=["450700"]))
    assert response.context["nearest"][0].code == "451200"  # the only covered one here
    assert response.context["prospect_count"] == 1
    assert response.context["prospects"] == []  # names of prospects are for hub staff
    assert "钦州海湾" not in response.content.decode()


def test_an_unknown_prefecture_is_404(client_for, viewer):
    assert client_for(viewer).get(reverse("coverage:prefecture", args=["999999"])).status_code == 404


def test_the_public_page_needs_no_login_and_shows_only_aggregates(
    client, centre_a, partner, django_assert_num_queries
):
    data_changed()
    with django_assert_num_queries(5):  # coverage (2), organisations, prefectures, the hub; then cached
        response = client.get(reverse("coverage:public"))
    page = response.content.decode()
    assert response.status_code == 200
    assert centre_a.name not in page and "partner@example.org" not in page
    with django_assert_num_queries(0):
        client.get(reverse("coverage:public"))


def _interest(**extra):
    from partners.models import Prefecture

    data = {
        "name": "钦州童心社工",
        "prefecture": Prefecture.objects.get(code="450700").pk,
        "contact_name": "黄女士",
        "contact_phone": "13877712345",
        "description": "社区儿童服务",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_an_interest_lands_as_a_prospect_and_tells_hub_staff(client, hub_staff, prefectures):
    response = client.post(reverse("coverage:interest"), _interest())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="钦州童心社工")
    assert organisation.status == OrganisationStatus.PROSPECT
    assert Notification.objects.filter(recipient=hub_staff, kind="partners.interest").count() == 1


def test_a_robot_filling_the_honeypot_saves_nothing(client, prefectures):
    response = client.post(reverse("coverage:interest"), _interest(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Organisation.objects.filter(name="钦州童心社工").exists()


def test_an_interest_without_any_way_to_reply_is_refused_next_to_the_field(client, prefectures):
    response = client.post(reverse("coverage:interest"), _interest(contact_phone=""))
    assert response.status_code == 200
    assert (
        "请留下电话或电子邮箱" in response.content.decode()
        or response.context["form"].errors["contact_phone"]
    )
    assert not Organisation.objects.filter(name="钦州童心社工").exists()


def test_more_than_five_interests_an_hour_from_one_address_are_refused(client, prefectures):
    for i in range(5):
        assert client.post(reverse("coverage:interest"), _interest(name=f"机构{i}")).status_code == 302
    response = client.post(reverse("coverage:interest"), _interest(name="机构6"))
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="机构6").exists()


def test_refused_forms_do_not_use_up_the_hours_five_so_the_corrected_one_is_kept(client, prefectures):
    for _attempt in range(6):
        response = client.post(reverse("coverage:interest"), _interest(contact_phone="", contact_email=""))
        assert response.status_code == 200 and "过多" not in response.content.decode()
    assert client.post(reverse("coverage:interest"), _interest()).status_code == 302
    assert Organisation.objects.filter(name="钦州童心社工").exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_centre_shows_on_the_public_page_at_the_next_load(client, org_a, make_centre, prefectures):
    def centres_shown():
        html = client.get(reverse("coverage:public")).content.decode()
        return int(re.search(r'<span class="fs-3 fw-bold">(\d+)</span>', html).group(1))

    client.get(reverse("coverage:public"))
    assert centres_shown() == 0  # from the cache
    make_centre(org_a, "新园", datetime.date(2024, 1, 1))
    assert centres_shown() == 1


def test_report_figures_on_the_map_agree_with_the_monthly_reports(demo, client_for):
    from collections import defaultdict

    from django.db.models import Avg

    from reports.choices import COUNTED_STATUSES
    from reports.coverage import last_twelve_months
    from reports.models import ReportValue

    viewer = User.objects.get(email="viewer@example.org")
    response = client_for(viewer).get(reverse("coverage:index"), {"metric": "families_served"})
    page = response.content.decode()
    first, last = last_twelve_months(response.context["as_of"])
    # Families served is a stock: each centre's average month, added up over the prefecture's centres.
    sums = defaultdict(float)
    for code, average in (
        ReportValue.objects.filter(
            indicator__code="families_served",
            report__status__in=COUNTED_STATUSES,
            month__gte=first,
            month__lte=last,
        )
        .values_list("report__organisation__prefecture__code", "centre_id")
        .annotate(average=Avg("number"))
        .values_list("report__organisation__prefecture__code", "average")
    ):
        sums[code] += float(average)
    expected = dict(sums)
    assert expected and sum(expected.values()) > 0
    for code, total in expected.items():
        assert f'data-code="{code}" data-value="{total:g}"' in page
    # The network figures page (the same 12 months) shows the same grand total as the map's prefectures.
    staff = User.objects.get(email="staff@example.org")
    figures = client_for(staff).get(reverse("reports:figures"), {"indicator": "families_served"})
    assert [m.replace(day=1) for m in figures.context["months"]][-1] == last
    assert float(figures.context["grand_total"]) == pytest.approx(sum(expected.values()))


@pytest.mark.django_db(transaction=True)
def test_a_new_centre_or_report_shows_on_the_coverage_page_at_the_next_load(
    client_for, viewer, org_a, make_centre
):
    from partners.coverage import data_version
    from reports.models import MonthlyReport

    client = client_for(viewer)
    assert client.get(reverse("coverage:index")).context["coverage"].total_centres == 0
    make_centre(org_a, "新园", datetime.date(2024, 1, 1))
    assert client.get(reverse("coverage:index")).context["coverage"].total_centres == 1
    before = data_version()
    MonthlyReport.objects.create(organisation=org_a, month=datetime.date(2024, 2, 1))
    assert data_version() != before  # report figures on the page are recomputed at the next load
