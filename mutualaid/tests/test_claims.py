"""Claims the hub verifies: submitted -> verified (maybe adjusted, with the reason) or rejected -> paid,
one budget figure everywhere, and the director told at once of every decision."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from mutualaid.actions import budget_status, do_check_claim, do_claim_visit, do_decide_visit, do_request_visit
from mutualaid.choices import ClaimStatus
from mutualaid.models import StudyVisit, StudyVisitBudget


def visit_day():
    today = timezone.localdate()
    return max(today - datetime.timedelta(days=1), today.replace(month=1, day=1))


@pytest.fixture
def claimed(director, partner, org_a, centre_b, member, hub_staff):
    """Org A (budget 3000) had a visit approved at 900 and its staff member claimed 800 for it."""
    StudyVisitBudget.objects.create(year=visit_day().year, amount_per_member=Decimal("3000"))
    member(org_a)
    visit = do_request_visit(
        by=partner,
        host_centre=centre_b,
        visitors="蓝老师",
        visit_on=visit_day(),
        estimated_cost=Decimal("900"),
    )
    do_decide_visit(visit_id=visit.pk, by=hub_staff, approve=True)
    return do_claim_visit(visit_id=visit.pk, by=partner, actual_cost=Decimal("800"), learning_note="排班办法")


def claim_notices():
    return list(Notification.objects.filter(kind="mutualaid.claim").order_by("recipient__email", "step"))


def test_a_claim_cannot_be_paid_before_the_hub_verified_it(claimed, hub_staff):
    assert claimed.claim_status == ClaimStatus.SUBMITTED
    with pytest.raises(ValidationError) as error:
        claimed.mark_paid()
    assert error.value.message_dict["decision"] == ["只有已核实的报销才能标记为已支付。"]
    with pytest.raises(ValidationError):
        do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.PAID)
    claimed.refresh_from_db()
    assert (claimed.claim_status, claimed.paid_at) == (ClaimStatus.SUBMITTED, None)
    assert claim_notices() == []


def test_an_adjusted_amount_needs_the_reason_and_the_director_reads_it(claimed, hub_staff, director, partner):
    with pytest.raises(ValidationError) as error:
        do_check_claim(
            visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.VERIFIED, amount=Decimal("600")
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        do_check_claim(
            visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.VERIFIED, amount=Decimal("801")
        )
    assert error.value.message_dict["amount"] == ["核实金额不能超过报销金额。"]
    do_check_claim(
        visit_id=claimed.pk,
        by=hub_staff,
        decision=ClaimStatus.VERIFIED,
        amount=Decimal("600"),
        note="缺一张住宿发票。",
    )
    sent = claim_notices()
    # The director and the staff member who claimed: each once.
    assert [(n.recipient, n.step) for n in sent] == [(director, "verified"), (partner, "verified")]
    assert sent[0].body == "您报销的 800.00 元已核实为 600.00 元。\n\n枢纽的说明：缺一张住宿发票。"
    assert sent[0].url == claimed.get_absolute_url()
    # Paying is a second decision, told once more; repeating it changes nothing and tells nobody.
    do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.PAID)
    with pytest.raises(ValidationError):
        do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.PAID)
    assert [n.step for n in claim_notices()] == ["paid", "verified", "paid", "verified"]
    assert claim_notices()[0].body == "您的报销已支付 600.00 元。"


def test_a_rejected_claim_says_why_and_frees_the_budget(claimed, hub_staff, director):
    with pytest.raises(ValidationError) as error:
        do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.REJECTED, note=" ")
    assert "note" in error.value.message_dict
    do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.REJECTED, note="不是区域内走访。")
    notice = Notification.objects.get(kind="mutualaid.claim", recipient=director)
    assert notice.subject.startswith("报销未通过")
    assert "不是区域内走访。" in notice.body
    assert budget_status(claimed.organisation_id, visit_day().year).left == Decimal("3000.00")


def test_the_budget_shows_committed_verified_and_paid_the_same_on_every_page(
    claimed, hub_staff, director, partner, org_a, centre_b, client_for
):
    # A second visit approved at 400: committed = 400 reserved + 800 claimed and waiting.
    second = do_request_visit(
        by=partner,
        host_centre=centre_b,
        visitors="韦主任",
        visit_on=visit_day(),
        estimated_cost=Decimal("400"),
    )
    do_decide_visit(visit_id=second.pk, by=hub_staff, approve=True)
    status = budget_status(org_a.pk, visit_day().year)
    assert (status.committed, status.verified, status.paid, status.left) == (
        Decimal("1200.00"),
        Decimal("0"),
        Decimal("0"),
        Decimal("1800.00"),
    )
    do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.VERIFIED, amount=Decimal("800"))
    status = budget_status(org_a.pk, visit_day().year)
    assert (status.committed, status.verified, status.left) == (
        Decimal("400.00"),
        Decimal("800.00"),
        Decimal("1800.00"),
    )
    do_check_claim(visit_id=claimed.pk, by=hub_staff, decision=ClaimStatus.PAID)
    status = budget_status(org_a.pk, visit_day().year)
    assert (status.committed, status.verified, status.paid, status.left) == (
        Decimal("400.00"),
        Decimal("0"),
        Decimal("800.00"),
        Decimal("1800.00"),
    )
    figure = (
        '已承诺 400.00 · 已核实 0.00 · 已支付 800.00 · <strong>剩余 <span id="budget-left">1800.00</span>'
    )
    for user, url in [
        (director, reverse("mutualaid:visit_list")),
        (director, reverse("mutualaid:visit_detail", args=[claimed.pk])),
        (director, reverse("mutualaid:visit_claim", args=[second.pk])),
        (hub_staff, reverse("mutualaid:visit_decide", args=[second.pk])),
        (hub_staff, reverse("mutualaid:visit_check", args=[claimed.pk])),
    ]:
        assert figure in client_for(user).get(url).content.decode(), url
    hub_row = client_for(hub_staff).get(reverse("mutualaid:visit_list")).content.decode()
    assert (
        '<td class="text-end">400.00</td><td class="text-end">0.00</td><td class="text-end">800.00</td>'
        '<td class="text-end">1800.00</td>'
    ) in hub_row


def test_the_hub_checks_a_claim_from_the_visit_page(claimed, hub_staff, client_for):
    client = client_for(hub_staff)
    page = client.get(claimed.get_absolute_url()).content.decode()
    assert reverse("mutualaid:visit_check", args=[claimed.pk]) in page
    response = client.post(
        reverse("mutualaid:visit_check", args=[claimed.pk]), {"decision": "verified", "amount": "700"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["请说明调整金额的原因，主任会看到。"]
    claimed.refresh_from_db()
    assert claimed.claim_status == ClaimStatus.SUBMITTED
    response = client.post(
        reverse("mutualaid:visit_check", args=[claimed.pk]),
        {"decision": "verified", "amount": "700", "note": "餐费超标"},
    )
    assert response.status_code == 302
    page = client.get(claimed.get_absolute_url()).content.decode()
    assert "已核实" in page and "700.00" in page and "餐费超标" in page


def test_a_director_already_on_the_waiting_list_is_told_before_filling_the_form(director, client_for):
    client = client_for(director)
    page = client.get(reverse("mutualaid:waiting_list_join")).content.decode()
    assert 'name="topic"' in page
    client.post(reverse("mutualaid:waiting_list_join"), {"topic": "团队管理"})
    page = client.get(reverse("mutualaid:waiting_list_join")).content.decode()
    assert "已在个人教练排队名单中" in page and "团队管理" in page
    assert 'name="topic"' not in page
    assert StudyVisit.objects.count() == 0
