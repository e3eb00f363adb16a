"""The region's annual report as a web page: who reads it, what it says, in a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.regional import content
from reports.tests import annual_world

URL = reverse("reports:annual_web", args=["year", "2024-01"])


@pytest.fixture
def narrative(org_a, centre_a, org_b, centre_b, hub_org):
    return annual_world.build(org_a, org_b, hub_org)


def test_hub_staff_read_the_regions_annual_report_with_its_words_figures_and_consented_stories(
    client_for, hub_staff, narrative
):
    page = client_for(hub_staff).get(URL).content.decode()
    assert "南宁市同心源社会工作服务中心" in page  # the hub's name on the cover
    assert "这一年，我们陪伴了更多家庭。" in page and "稳定的资金仍是挑战。" in page
    gathered = content.gather("year", annual_world.START, title="x")
    visits = next(i for i in gathered.indicators if i.code == "child_visits")
    assert gathered.totals[visits.pk].current == 1207
    assert 'data-key="child_visits"><div class="value">1,207' in page
    assert "绘本里的小菜园" in page and "外婆的第一次分享" in page
    assert "尚未同意的故事" not in page
    # Two pictures of the narrative and one story photo: logo, cover, the consented garden photo.
    assert page.count('src="data:image/jpeg;base64,') == 3
    assert "壹基金" in page and "0771-0000000" in page
    assert "<svg" in page  # the map


def test_a_viewer_reads_the_regions_report_only_once_the_hub_has_published_it(client_for, viewer, narrative):
    client = client_for(viewer)
    assert client.get(URL).status_code == 404
    narrative.published_at = timezone.now()
    narrative.save()
    assert "绘本里的小菜园" in client.get(URL).content.decode()


def test_partner_people_cannot_open_the_regions_web_edition(client_for, director, partner, narrative):
    assert client_for(director).get(URL).status_code == 403
    assert client_for(partner).get(URL).status_code == 403


def test_the_hub_sees_the_figures_of_a_year_whose_text_is_not_written_yet(
    client_for, hub_staff, org_a, centre_a
):
    annual_world.make_report(org_a, annual_world.START, status="approved", values={"child_visits": 5})
    response = client_for(hub_staff).get(URL)
    assert response.status_code == 200
    assert 'data-key="child_visits"><div class="value">5' in response.content.decode()


def test_other_periods_and_bad_months_answer_404(client_for, hub_staff, narrative):
    client = client_for(hub_staff)
    assert client.get(reverse("reports:annual_web", args=["quarter", "2024-01"])).status_code == 404
    assert client.get(reverse("reports:annual_web", args=["year", "2024-13"])).status_code == 404


def test_the_web_edition_runs_the_same_number_of_queries_whatever_the_stories_and_partners(
    client_for, hub_staff, narrative, org_a, django_assert_num_queries
):
    client = client_for(hub_staff)
    client.get(URL)
    with django_assert_num_queries(21):
        client.get(URL)
    from reports.models import AnnualStory

    for n in range(3):
        AnnualStory.objects.create(
            narrative=narrative, title=f"故事{n}", body="。", organisation=org_a, consented_at=timezone.now()
        )
    with django_assert_num_queries(21):
        client.get(URL)


def test_a_partners_web_edition_shows_its_own_name_figures_support_and_consented_stories(
    rf, org_a, centre_a, org_b, centre_b, hub_org
):
    """What the share link shows (its view checks the link; ``render_web`` lays the page out)."""
    from django.contrib.auth.models import AnonymousUser

    from reports.regional.annual_web import render_web

    narrative = annual_world.build(org_a, org_b, hub_org, organisation=org_a)
    request = rf.get("/annual/shared/x/")
    request.user = AnonymousUser()
    page = render_web(request, narrative).content.decode()
    assert 'class="cover-name">都安瑶山社会工作服务中心' in page
    assert 'data-key="child_visits"><div class="value">1,200' in page  # org_a's own, not org_b's 7
    assert "获得的枢纽支持" in page and "绘本里的小菜园" in page and "尚未同意的故事" not in page
    assert "各地市伙伴机构" not in page  # no partners' pages in one partner's report
    # Nor the network's map and prefecture count: they are not this partner's figures.
    assert 'class="map"' not in page and "有亲子园的地市" not in page


def test_a_half_year_report_compares_with_the_half_year_before_not_last_year(
    client_for, hub_staff, org_a, centre_a, org_b, centre_b, hub_org
):
    annual_world.reports(org_a, org_b)
    page = (
        client_for(hub_staff)
        .get(reverse("reports:annual_web", args=["half_year", "2024-07"]))
        .content.decode()
    )
    # July-December: 600 child visits, against January-June's 607.
    assert "半年数字" in page and 'value">600' in page and "上一个半年 607" in page
    assert "年度数字" not in page and "上年" not in page
