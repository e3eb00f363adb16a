"""Training sessions become meetings of the "training session" kind, and the attendance training kept
on its own moves to the meetings' invitations (one per learner and session, present or absent).

A session linked to an "other event" takes the new kind; one linked to a meeting of another kind
(a monthly meeting used as a session) keeps its kind, so the cadence's counts do not change. A session
with attendance on record counts as held, as recording attendance on a meeting does.
"""

from django.db import migrations

PRESENT, ABSENT = "present", "absent"


def forwards(apps, schema_editor):
    TrainingSession = apps.get_model("training", "TrainingSession")
    Attendance = apps.get_model("training", "Attendance")
    Application = apps.get_model("training", "Application")
    Meeting = apps.get_model("meetings", "Meeting")
    Invitation = apps.get_model("meetings", "Invitation")

    meeting_ids = set(TrainingSession.objects.values_list("meeting_id", flat=True))
    Meeting.objects.filter(pk__in=meeting_ids, kind="other").update(kind="training_session")
    recorded = set(Attendance.objects.values_list("session__meeting_id", flat=True))
    Meeting.objects.filter(pk__in=recorded, status__in=["planned", "confirmed"]).update(status="held")

    invitations = {
        (i.meeting_id, i.person_id): i for i in Invitation.objects.filter(meeting_id__in=meeting_ids)
    }
    marks = {
        (meeting_id, person_id): present
        for meeting_id, person_id, present in Attendance.objects.values_list(
            "session__meeting_id", "application__applicant_id", "present"
        )
    }
    # Every learner of a session's module is invited to it (as the training app now does).
    learners = Application.objects.filter(
        status__in=["selected", "deferred", "completed"], module__sessions__isnull=False
    ).values_list("module__sessions__meeting_id", "applicant_id", "organisation_id")
    created, changed = [], []
    for meeting_id, person_id, organisation_id in learners:
        if meeting_id is None:
            continue
        key = (meeting_id, person_id)
        mark = {True: PRESENT, False: ABSENT}.get(marks.pop(key, None), "")
        invitation = invitations.get(key)
        if invitation is None:
            invitations[key] = Invitation(
                meeting_id=meeting_id,
                person_id=person_id,
                organisation_id=organisation_id,
                is_manual=True,
                attendance=mark,
            )
            created.append(invitations[key])
        elif mark and not invitation.attendance:
            invitation.attendance = mark
            changed.append(invitation)
    # Attendance of someone no longer a learner (withdrew later) is kept too.
    organisations = dict(Application.objects.values_list("applicant_id", "organisation_id"))
    for (meeting_id, person_id), present in marks.items():
        invitation = invitations.get((meeting_id, person_id))
        if invitation is None:
            created.append(
                Invitation(
                    meeting_id=meeting_id,
                    person_id=person_id,
                    organisation_id=organisations.get(person_id),
                    is_manual=True,
                    attendance=PRESENT if present else ABSENT,
                )
            )
        elif not invitation.attendance:
            invitation.attendance = PRESENT if present else ABSENT
            changed.append(invitation)
    Invitation.objects.bulk_create(created)
    Invitation.objects.bulk_update(changed, ["attendance"])


def backwards(apps, schema_editor):
    """Attendance back from the invitations of the sessions' meetings (the kind stays: harmless)."""
    TrainingSession = apps.get_model("training", "TrainingSession")
    Attendance = apps.get_model("training", "Attendance")
    Application = apps.get_model("training", "Application")
    Invitation = apps.get_model("meetings", "Invitation")
    rows = []
    for session in TrainingSession.objects.all():
        applications = dict(
            Application.objects.filter(module_id=session.module_id).values_list("applicant_id", "pk")
        )
        for person_id, attendance in Invitation.objects.filter(meeting_id=session.meeting_id).exclude(
            attendance=""
        ).values_list("person_id", "attendance"):
            if person_id in applications:
                rows.append(
                    Attendance(
                        session=session,
                        application_id=applications[person_id],
                        present=attendance == PRESENT,
                    )
                )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("meetings", "0003_training_session_kind"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
