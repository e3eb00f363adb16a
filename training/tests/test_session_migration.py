"""Migrating training's own attendance onto the meetings' invitations (training 0002/0003) keeps who
was present, makes the sessions training meetings, and counts them as held."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("training", "0001_initial"), ("meetings", "0003_training_session_kind")]
AFTER = [("training", "0003_delete_attendance")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_data_migration_moves_attendance_onto_the_meetings_invitations(
    partner, director, other, hub_staff
):
    try:
        apps = migrate(BEFORE)
        Programme = apps.get_model("training", "Programme")
        Module = apps.get_model("training", "Module")
        Application = apps.get_model("training", "Application")
        TrainingSession = apps.get_model("training", "TrainingSession")
        Attendance = apps.get_model("training", "Attendance")
        Meeting = apps.get_model("meetings", "Meeting")
        Invitation = apps.get_model("meetings", "Invitation")

        now = timezone.now()
        programme = Programme.objects.create(year=2025, name="2025-26 亲子园指导师培养计划")
        module = Module.objects.create(
            programme=programme,
            name="正向教养家长引导师",
            opens_at=now - datetime.timedelta(days=90),
            closes_at=now - datetime.timedelta(days=60),
            places=30,
            min_years=1,
            min_education=2,
            min_attendance_percent=80,
            min_practice_records=3,
            min_rating=3,
        )
        profile = {"module": module, "years_in_child_services": 3, "education": 3}
        present = Application.objects.create(
            applicant_id=partner.pk, organisation_id=partner.organisation_id, status="selected", **profile
        )
        absent = Application.objects.create(
            applicant_id=director.pk, organisation_id=director.organisation_id, status="completed", **profile
        )
        withdrew = Application.objects.create(
            applicant_id=other.pk, organisation_id=other.organisation_id, status="withdrawn", **profile
        )
        start = now - datetime.timedelta(days=30)
        recorded = Meeting.objects.create(
            kind="other",
            title="第1讲",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            status="planned",
            version=1,
        )
        coming = Meeting.objects.create(
            kind="other",
            title="第2讲",
            starts_at=now + datetime.timedelta(days=30),
            ends_at=now + datetime.timedelta(days=30, hours=3),
            status="confirmed",
            version=1,
        )
        monthly = Meeting.objects.create(
            kind="monthly_topic",
            title="月度小议题会议",
            starts_at=start + datetime.timedelta(days=1),
            ends_at=start + datetime.timedelta(days=1, hours=2),
            status="held",
            version=1,
        )
        # The director was already invited to the monthly meeting and marked there.
        Invitation.objects.create(
            meeting=monthly,
            person_id=director.pk,
            organisation_id=director.organisation_id,
            attendance="present",
        )
        first = TrainingSession.objects.create(module=module, meeting=recorded)
        TrainingSession.objects.create(module=module, meeting=coming)
        used = TrainingSession.objects.create(module=module, meeting=monthly)
        Attendance.objects.create(session=first, application=present, present=True)
        Attendance.objects.create(session=first, application=absent, present=False)
        Attendance.objects.create(session=first, application=withdrew, present=True)
        Attendance.objects.create(session=used, application=absent, present=False)

        apps = migrate(AFTER)
        Meeting = apps.get_model("meetings", "Meeting")
        Invitation = apps.get_model("meetings", "Invitation")
        kinds = dict(Meeting.objects.values_list("title", "kind"))
        assert kinds == {
            "第1讲": "training_session",
            "第2讲": "training_session",
            "月度小议题会议": "monthly_topic",
        }
        assert Meeting.objects.get(title="第1讲").status == "held"
        assert Meeting.objects.get(title="第2讲").status == "confirmed"
        marks = {
            (title, email): attendance
            for title, email, attendance in Invitation.objects.values_list(
                "meeting__title", "person__email", "attendance"
            )
        }
        assert marks == {
            ("第1讲", partner.email): "present",
            ("第1讲", director.email): "absent",
            ("第1讲", other.email): "present",
            ("第2讲", partner.email): "",
            ("第2讲", director.email): "",
            ("月度小议题会议", partner.email): "",
            # What the monthly meeting recorded itself stays.
            ("月度小议题会议", director.email): "present",
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
