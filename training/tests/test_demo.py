"""The demo holds last year's programme: three modules of 30, a cohort, certificates, one deferred."""

import pytest
from django.urls import reverse

from partners.demo import DEMO_DATE
from training import demo as training_demo
from training.choices import ApplicationStatus
from training.models import Application, Certificate, Module, PracticeRecord, Programme, TrainingSession

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Programme, Module, Application, PracticeRecord, TrainingSession, Certificate)
    ]


def test_the_demo_holds_a_programme_with_a_cohort_and_certificates_and_is_idempotent(demo):
    programme = Programme.objects.get()
    assert programme.year == DEMO_DATE.year - 1
    assert list(programme.modules.values_list("places", flat=True)) == [30, 30, 30]
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {ApplicationStatus.COMPLETED, ApplicationStatus.DEFERRED, ApplicationStatus.WAITLISTED} <= statuses
    assert Certificate.objects.filter(honour=True).count() == 1
    assert Application.objects.filter(incentive_amount__gt=0).exists()
    before = counts()
    training_demo.seed({"demo_date": DEMO_DATE})
    assert counts() == before


def test_the_demo_teacher_downloads_her_certificate_and_is_in_the_talent_pool(demo, client_for):
    teacher = demo["partner@example.org"]
    application = Application.objects.get(applicant=teacher)
    client = client_for(teacher)
    assert client.get(reverse("training:certificate_pdf", args=[application.pk])).status_code == 200
    assert teacher.full_name in client.get(reverse("training:talent_pool")).content.decode()


def test_the_demo_sessions_are_held_training_meetings_whose_invitations_carry_attendance(demo):
    from meetings.choices import MeetingKind, MeetingStatus

    sessions = list(TrainingSession.objects.select_related("meeting"))
    assert len(sessions) == 2
    assert {(s.meeting.kind, s.meeting.status) for s in sessions} == {
        (MeetingKind.TRAINING_SESSION, MeetingStatus.HELD)
    }
    completed = Application.objects.get(applicant=demo["partner@example.org"])
    deferred = Application.objects.get(status=ApplicationStatus.DEFERRED)
    assert completed.attendance_percent() == 100
    assert deferred.attendance_percent() == 50
    assert completed.completion_shortfalls() == []
