"""Study-visit subsidy within an annual budget per member, and coaching with members' directors first."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mutualaid.actions import (
    budget_status,
    do_claim_visit,
    do_decide_visit,
    do_join_waiting_list,
    do_request_visit,
)
from mutualaid.choices import VisitStatus, WaitStatus
from mutualaid.models import CoachingRequest, CoachingSession, StudyVisit, StudyVisitBudget


def visit_day():
    """Yesterday, or today on 1 January: a visit of this year that is not in the future. Visits are
    claimed against their own year's budget, and the visit list shows this year's."""
    today = timezone.localdate()
    return max(today - datetime.timedelta(days=1), today.replace(month=1, day=1))


@pytest.fixture
def budget(db):
    return StudyVisitBudget.objects.create(year=visit_day().year, amount_per_member=Decimal("2000"))


def request_visit(user, centre, cost="800", on=None):
    return do_request_visit(
        by=user,
        host_centre=centre,
        visitors="韦主任",
        visit_on=on or visit_day(),
        estimated_cost=Decimal(cost),
        purpose="看家长志愿者",
    )


def test_a_non_member_cannot_request_and_is_told_why(director, centre_b, client_for, budget):
    client = client_for(director)
    page = client.get(reverse("mutualaid:visit_create")).content.decode()
    assert "只有区域互助支持小组成员才能申请区域内走访学习差旅补贴" in page
    response = client.post(
        reverse("mutualaid:visit_create"),
        {
            "host_centre": centre_b.pk,
            "visitors": "韦主任",
            "visit_on": visit_day().isoformat(),
            "estimated_cost": "500",
        },
    )
    assert response.status_code == 200
    assert "只有区域互助支持小组成员" in str(response.context["form"].non_field_errors())
    assert not StudyVisit.objects.exists()


def test_a_member_requests_a_visit_for_its_own_organisation_whatever_is_posted(
    director, org_a, org_b, centre_a, centre_b, member, client_for, budget
):
    member(org_a)
    response = client_for(director).post(
        reverse("mutualaid:visit_create"),
        {
            "organisation": org_b.pk,
            "host_centre": centre_b.pk,
            "visitors": "韦主任、蓝老师",
            "visit_on": visit_day().isoformat(),
            "estimated_cost": "800",
        },
    )
    assert response.status_code == 302
    visit = StudyVisit.objects.get()
    assert (visit.organisation, visit.requested_by, visit.status) == (org_a, director, VisitStatus.REQUESTED)


def test_a_member_cannot_visit_its_own_centre(director, org_a, centre_a, member, budget):
    member(org_a)
    with pytest.raises(ValidationError) as error:
        request_visit(director, centre_a)
    assert "host_centre" in error.value.error_dict


def test_approvals_stay_within_the_members_annual_budget(
    director, org_a, centre_b, member, hub_staff, budget
):
    member(org_a)
    first = request_visit(director, centre_b, "1500")
    second = request_visit(director, centre_b, "800")
    do_decide_visit(visit_id=first.pk, by=hub_staff, approve=True)
    with pytest.raises(ValidationError) as error:
        do_decide_visit(visit_id=second.pk, by=hub_staff, approve=True)
    assert "超过剩余预算（500.00）" in str(error.value)
    second.refresh_from_db()
    assert second.status == VisitStatus.REQUESTED
    status = budget_status(org_a.pk, visit_day().year)
    assert (status.budget, status.committed, status.verified, status.paid, status.left) == (
        Decimal("2000.00"),
        Decimal("1500.00"),
        Decimal("0"),
        Decimal("0"),
        Decimal("500.00"),
    )


def test_a_claim_records_actual_cost_and_learning_and_over_budget_is_refused(
    director, org_a, centre_b, member, hub_staff, client_for, budget
):
    member(org_a)
    visit = request_visit(director, centre_b, "1500")
    do_decide_visit(visit_id=visit.pk, by=hub_staff, approve=True)
    client = client_for(director)
    url = reverse("mutualaid:visit_claim", args=[visit.pk])
    response = client.post(url, {"actual_cost": "2000.01", "learning_note": "排班"})
    # The message names the figure the page shows as left (500.00) and this visit's reservation.
    assert 'id="budget-left">500.00<' in response.content.decode()
    assert response.context["form"].errors["actual_cost"] == [
        f"报销金额（2000.01）超过本次走访可用的金额：{visit_day().year} 年度预算剩余 500.00，"
        "加上为本次走访预留的 1500.00。"
    ]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.APPROVED and visit.actual_cost is None
    response = client.post(url, {"actual_cost": "1200", "learning_note": "学到了家长志愿者的排班办法"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.actual_cost) == (VisitStatus.CLAIMED, Decimal("1200"))
    status = budget_status(org_a.pk, visit_day().year)
    # Claimed, not yet checked by the hub: still committed.
    assert (status.committed, status.left) == (Decimal("1200.00"), Decimal("800.00"))
    page = client.get(reverse("mutualaid:visit_list")).content.decode()
    assert 'id="budget-left">800.00<' in page


def test_a_member_that_left_can_no_longer_claim(director, org_a, centre_b, member, hub_staff, budget):
    membership = member(org_a)
    visit = request_visit(director, centre_b)
    do_decide_visit(visit_id=visit.pk, by=hub_staff, approve=True)
    membership.left_on = timezone.localdate()
    membership.save()
    with pytest.raises(ValidationError) as error:
        do_claim_visit(visit_id=visit.pk, by=director, actual_cost=Decimal("100"), learning_note="x")
    assert "只有区域互助支持小组成员" in str(error.value)


def test_claims_and_visits_of_another_organisation_answer_404(
    director, other, org_a, centre_b, member, client_for, budget
):
    member(org_a)
    visit = request_visit(director, centre_b)
    client = client_for(other)
    assert client.get(reverse("mutualaid:visit_detail", args=[visit.pk])).status_code == 404
    assert (
        client.post(reverse("mutualaid:visit_claim", args=[visit.pk]), {"actual_cost": "1"}).status_code
        == 404
    )
    assert list(client.get(reverse("mutualaid:visit_list")).context["visits"]) == []


def test_the_coaching_waiting_list_puts_members_directors_first(
    org_a, org_b, make_user, member, director, hub_staff, client_for
):
    director_b = make_user("director-b@example.org", "director", org_b)
    do_join_waiting_list(by=director_b, topic="筹款")  # first come
    do_join_waiting_list(by=director, topic="团队管理")
    member(org_a)
    waiting = list(CoachingRequest.objects.waiting_list())
    assert [w.director for w in waiting] == [director, director_b]
    with pytest.raises(ValidationError):
        do_join_waiting_list(by=director, topic="又一次")
    html = client_for(hub_staff).get(reverse("mutualaid:session_list")).content.decode()
    assert html.index("团队管理") < html.index("筹款")


def test_logging_a_session_from_the_waiting_list_schedules_it(org_a, director, hub_staff, client_for):
    entry = do_join_waiting_list(by=director, topic="团队管理")
    response = client_for(hub_staff).post(
        reverse("mutualaid:session_create"),
        {
            "organisation": org_a.pk,
            "director": director.pk,
            "kind": "coaching",
            "held_on": "2024-06-01",
            "coach": "张教练",
            "topic": "团队管理",
            "notes": "负责人压力大",
            "request": entry.pk,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitStatus.SCHEDULED and entry.session.coach == "张教练"


def test_a_director_of_another_organisation_is_refused_next_to_the_field(
    org_a, org_b, make_user, hub_staff, client_for
):
    director_b = make_user("director-b@example.org", "director", org_b)
    response = client_for(hub_staff).post(
        reverse("mutualaid:session_create"),
        {
            "organisation": org_a.pk,
            "director": director_b.pk,
            "kind": "coaching",
            "held_on": "2024-06-01",
            "coach": "张教练",
            "topic": "x",
        },
    )
    assert response.context["form"].errors["director"] == ["此人不属于所选机构。"]
    assert not CoachingSession.objects.exists()


def test_coaching_notes_stay_inside_the_organisation(org_a, director, other, client_for):
    session = CoachingSession.objects.create(
        organisation=org_a,
        director=director,
        held_on=datetime.date(2024, 6, 1),
        coach="张教练",
        topic="筹款",
        notes="内部记录",
    )
    client = client_for(other)
    assert client.get(reverse("mutualaid:session_detail", args=[session.pk])).status_code == 404
    assert "内部记录" not in client.get(reverse("mutualaid:session_list")).content.decode()
    assert (
        "内部记录"
        in client_for(director).get(reverse("mutualaid:session_detail", args=[session.pk])).content.decode()
    )
