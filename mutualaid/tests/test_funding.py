"""Expansion funding (拓点经费): own-organisation applications, a queue with members first, one grant."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from mutualaid.actions import do_approve_application, do_start_review, do_submit_application
from mutualaid.choices import ApplicationStatus
from mutualaid.models import ExpansionFundingApplication
from partners.choices import CentreStatus
from partners.models import Centre


def apply(user, name="第二个点", budget="30000"):
    return do_submit_application(
        by=user,
        site_name=name,
        prefecture=user.organisation.prefecture,
        site_type="community",
        address="",
        budget=Decimal(budget),
        justification="社区里 0-3 岁家庭多",
    )


def test_a_partner_applies_for_its_own_organisation_even_with_a_tampered_field(
    director, org_a, org_b, client_for, prefectures
):
    response = client_for(director).post(
        reverse("mutualaid:application_create"),
        {
            "organisation": org_b.pk,
            "site_name": "都安第二亲子园",
            "prefecture": org_a.prefecture_id,
            "site_type": "community",
            "budget": "30000",
            "justification": "需求大",
        },
    )
    assert response.status_code == 302
    application = ExpansionFundingApplication.objects.get()
    assert application.organisation == org_a
    assert application.applicant == director
    assert application.status == ApplicationStatus.SUBMITTED


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(director, client_for, prefectures):
    response = client_for(director).post(
        reverse("mutualaid:application_create"),
        {
            "site_name": "",
            "prefecture": "999999",
            "site_type": "community",
            "budget": "-5",
            "justification": "",
        },
    )
    errors = response.context["form"].errors
    assert {"site_name", "prefecture", "budget", "justification"} <= set(errors)
    assert not ExpansionFundingApplication.objects.exists()


def test_the_review_queue_ranks_members_first_then_by_submission_and_says_why(
    director, other, org_b, member, hub_staff, client_for
):
    first = apply(director, "先提交")
    second = apply(other, "后提交的成员")
    member(org_b)
    response = client_for(hub_staff).get(reverse("mutualaid:application_list"))
    assert [a.pk for a in response.context["queue"]] == [second.pk, first.pk]
    html = response.content.decode()
    assert html.index("后提交的成员") < html.index("先提交")
    assert "小组成员" in html and "非成员" in html


def test_partners_never_see_another_organisations_application(director, other, client_for):
    application = apply(director)
    client = client_for(other)
    assert client.get(reverse("mutualaid:application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("mutualaid:application_list")).context["queue"] == []


def test_approving_creates_the_planned_centre_in_the_same_transaction(director, hub_staff, client_for):
    application = apply(director, "都安第二亲子园")
    client = client_for(hub_staff)
    client.post(reverse("mutualaid:application_review", args=[application.pk]), {"action": "start"})
    response = client.post(
        reverse("mutualaid:application_review", args=[application.pk]),
        {"action": "approve", "amount": "25000", "create_centre": "on", "note": "先批一期"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.approved_amount == Decimal("25000")
    assert application.centre.status == CentreStatus.PLANNED
    assert application.centre.organisation_id == director.organisation_id


def test_approving_twice_grants_once(director, hub_staff):
    application = apply(director)
    do_approve_application(
        application_id=application.pk, by=hub_staff, amount=Decimal("1000"), create_centre=True
    )
    with pytest.raises(ValidationError) as error:
        do_approve_application(
            application_id=application.pk, by=hub_staff, amount=Decimal("2000"), create_centre=True
        )
    assert "已获批准" in str(error.value)
    application.refresh_from_db()
    assert application.approved_amount == Decimal("1000")
    assert Centre.objects.filter(name=application.site_name).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_grant_once(prefectures, org_a, director, hub_staff):
    application = apply(director)
    outcomes = []
    barrier = threading.Barrier(2)

    def approve(amount):
        try:
            barrier.wait()
            do_approve_application(
                application_id=application.pk, by=hub_staff, amount=Decimal(amount), create_centre=True
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(amount,)) for amount in ("1000", "2000")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Centre.objects.filter(name=application.site_name).count() == 1


def test_a_duplicate_centre_name_refuses_the_approval_and_saves_nothing(
    director, hub_staff, centre_a, client_for
):
    application = apply(director, centre_a.name)
    response = client_for(hub_staff).post(
        reverse("mutualaid:application_review", args=[application.pk]),
        {"action": "approve", "amount": "1000", "create_centre": "on"},
    )
    assert "已有同名亲子园" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_more_than_the_budget_cannot_be_approved(director, hub_staff):
    application = apply(director, budget="1000")
    with pytest.raises(ValidationError):
        do_approve_application(application_id=application.pk, by=hub_staff, amount=Decimal("1001"))


def test_a_partner_withdraws_its_own_open_application(director, hub_staff, client_for):
    application = apply(director)
    client_for(director).post(reverse("mutualaid:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        do_start_review(application_id=application.pk, by=hub_staff)


def test_a_declined_application_needs_a_reason(director, hub_staff, client_for):
    application = apply(director)
    response = client_for(hub_staff).post(
        reverse("mutualaid:application_review", args=[application.pk]), {"action": "decline", "note": ""}
    )
    assert response.context["form"].errors["note"] == ["请说明不批准的理由。"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_application_list_filters_by_status_and_search(director, hub_staff, client_for):
    apply(director, "河池第二亲子园")
    apply(director, "都安乡镇点")
    client = client_for(hub_staff)
    response = client.get(reverse("mutualaid:application_list"), {"q": "乡镇", "status": "submitted"})
    assert [a.site_name for a in response.context["queue"]] == ["都安乡镇点"]
    response = client.get(reverse("mutualaid:application_list"), {"status": "approved"})
    assert response.context["queue"] == []
