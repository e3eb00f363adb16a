"""The hub scores and selects within places; the waiting list moves up when a selected person
withdraws; every decision notifies the applicant at once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hubsite.core.models import Notification
from training import actions
from training.choices import ApplicationStatus, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def endorsed(make_application, make_user, org_a):
    """`endorsed(module, name, score)`: an endorsed, scored application of a new teacher of org A."""

    def make(module, name, score):
        person = make_user(f"{name}@example.org", "partner_staff", org_a, full_name=name)
        return make_application(module, person, status=ApplicationStatus.ENDORSED, score=score)

    return make


def steps(application):
    return list(
        Notification.objects.filter(recipient=application.applicant, kind="training.decision")
        .order_by("pk")
        .values_list("step", flat=True)
    )


def test_selection_stops_at_the_places_and_the_rest_wait(make_module, endorsed, hub_staff):
    module = make_module(places=1)
    first, second = endorsed(module, "甲", 90), endorsed(module, "乙", 80)
    actions.do_decide(first, by=hub_staff, decision=Decision.SELECTED)
    with pytest.raises(ValidationError):
        actions.do_decide(second, by=hub_staff, decision=Decision.SELECTED)
    actions.do_decide(second, by=hub_staff, decision=Decision.WAITLISTED)
    assert steps(first) == ["selected"]
    assert steps(second) == ["waitlisted"]


def test_the_waiting_list_moves_up_by_score_when_a_selected_person_withdraws(
    make_module, endorsed, hub_staff
):
    module = make_module(places=1)
    selected = endorsed(module, "甲", 90)
    lower, higher = endorsed(module, "乙", 60), endorsed(module, "丙", 85)
    actions.do_decide(selected, by=hub_staff, decision=Decision.SELECTED)
    for application in (lower, higher):
        actions.do_decide(application, by=hub_staff, decision=Decision.WAITLISTED)

    moved = actions.do_withdraw(selected, by=selected.applicant)

    assert moved == higher
    higher.refresh_from_db()
    lower.refresh_from_db()
    assert higher.status == ApplicationStatus.SELECTED
    assert lower.status == ApplicationStatus.WAITLISTED
    assert steps(higher) == ["waitlisted", "moved_up"]


def test_withdrawing_from_the_waiting_list_moves_nobody_up(make_module, endorsed, hub_staff):
    module = make_module(places=1)
    selected, waiting = endorsed(module, "甲", 90), endorsed(module, "乙", 80)
    actions.do_decide(selected, by=hub_staff, decision=Decision.SELECTED)
    actions.do_decide(waiting, by=hub_staff, decision=Decision.WAITLISTED)
    assert actions.do_withdraw(waiting, by=waiting.applicant) is None
    selected.refresh_from_db()
    assert selected.status == ApplicationStatus.SELECTED


def test_an_application_the_director_has_not_endorsed_cannot_be_selected(
    client_for, hub_staff, partner, module, make_application
):
    application = make_application(module, partner, score=90)
    response = client_for(hub_staff).post(
        reverse("training:decide", args=[application.pk]), {"decision": "selected"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert steps(application) == []


def test_turning_an_application_down_notifies_the_applicant(
    client_for, hub_staff, partner, module, make_application
):
    application = make_application(module, partner)
    client_for(hub_staff).post(
        reverse("training:decide", args=[application.pk]), {"decision": "not_selected"}
    )
    assert steps(application) == ["not_selected"]
