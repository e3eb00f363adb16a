"""Demo data for the talent programme: the programme of the year before the demo's date, adapted from
南沙's 亮星计划 (seed 002) to the hub's teachers: three modules of 30 places, applications, a selected
cohort with practice records and two sessions, learners who completed with certificates (one with the
honour certificate and an incentive paid), one deferred, one on the waiting list, one not selected.

Runs after the partners and meetings demos and looks people up by e-mail. Idempotent: every row is
found by a natural key before it is created. Decisions are written as rows, not through the actions,
so seeding sends nobody a notice about a year-old decision.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from meetings.choices import Attendance, MeetingKind, MeetingStatus, Rsvp
from meetings.models import Invitation, Meeting
from partners.models import User

from .choices import ApplicationStatus, Education
from .models import Application, Certificate, Module, PracticeRecord, Programme, TrainingSession

MODULES = [
    # name, closes (month, day at 18:00), description
    ("正向教养家长引导师", (3, 23), "引导家长在亲子活动中运用正向教养：家长小组、家访与沟通。"),
    ("正向教养儿童引导师", (4, 6), "设计并带领 0-6 岁儿童的游戏与活动，观察与记录儿童发展。"),
    ("儿童保护个案服务者", (4, 6), "识别风险、危机干预与个案跟进，链接社区儿童保护资源。"),
]

# (e-mail, module index, status, score, completed/honour): the hub's partner teachers and directors.
COHORT = [
    ("partner@example.org", 0, ApplicationStatus.COMPLETED, 92, "honour"),
    ("nong.yanling@example.org", 0, ApplicationStatus.COMPLETED, 85, "completed"),
    ("liao.fang@example.org", 0, ApplicationStatus.DEFERRED, 78, ""),
    ("pang.xiaoli@example.org", 1, ApplicationStatus.COMPLETED, 88, "completed"),
    ("gan.lu@example.org", 1, ApplicationStatus.SELECTED, 74, ""),
    ("lan.ting@example.org", 1, ApplicationStatus.WAITLISTED, 61, ""),
    ("he.xue@example.org", 2, ApplicationStatus.COMPLETED, 81, "completed"),
    ("wu.shanshan@example.org", 2, ApplicationStatus.NOT_SELECTED, 45, ""),
    ("other@example.org", 2, ApplicationStatus.SELECTED, 70, ""),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(ctx: dict) -> None:
    today = ctx.get("demo_date") or timezone.localdate()
    staff = User.objects.filter(email="staff@example.org").first()
    if staff is None:
        return
    # The programme ran from March of last year to March of this one, as 亮星计划 did.
    year = today.year - 1
    programme, _ = Programme.objects.get_or_create(
        year=year,
        name=f"{year}-{(year + 1) % 100:02d} 亲子园指导师培养计划",
        defaults={"description": "面向伙伴机构老师的一年期培养：培训、督导下的实践与结业考核。"},
    )
    modules = []
    for name, (month, day), description in MODULES:
        module, _ = Module.objects.get_or_create(
            programme=programme,
            name=name,
            defaults={
                "description": description,
                "opens_at": _at(datetime.date(year, 3, 1), 9),
                "closes_at": _at(datetime.date(year, month, day), 18),
                "min_years": 1,
                "min_education": Education.COLLEGE,
                "evidence_label": "活动总结或个案记录",
                "min_practice_records": 3,
            },
        )
        modules.append(module)
    ctx["training_programme"] = programme
    learners = _applications(modules, staff, year)
    _sessions(modules[0], learners, year)
    _completion(learners, staff, year)


def _applications(modules, staff, year) -> list[tuple[Application, str]]:
    people = {u.email: u for u in User.objects.filter(email__in=[row[0] for row in COHORT])}
    directors = {
        u.organisation_id: u
        for u in User.objects.filter(role="director", organisation__isnull=False).order_by("-pk")
    }
    learners = []
    for email, index, status, score, outcome in COHORT:
        person = people.get(email)
        if person is None or person.organisation_id is None:
            continue
        director = directors.get(person.organisation_id)
        application, created = Application.objects.get_or_create(
            module=modules[index],
            applicant=person,
            defaults={
                "organisation_id": person.organisation_id,
                "years_in_child_services": 2 + score % 4,
                "education": Education.BACHELOR if score % 2 else Education.COLLEGE,
                "certificates": "社工证" if score > 80 else "",
                "motivation": "希望把正向教养带进亲子园的日常活动。",
                "status": status,
                "score": score,
                "endorsed_by": director,
                "endorsed_at": _at(datetime.date(year, 3, 20), 10) if director else None,
                "decided_at": _at(datetime.date(year, 4, 10), 10),
            },
        )
        if created:
            # Applied inside the window, not on the day the demo was seeded.
            Application.objects.filter(pk=application.pk).update(
                created_at=_at(datetime.date(year, 3, 15), 10)
            )
        if application.is_learner:
            learners.append((application, outcome))
            for number in range(3):
                PracticeRecord.objects.get_or_create(
                    application=application,
                    served_on=datetime.date(year, 6 + 2 * number, 15),
                    defaults={
                        "description": ["家长小组：正向沟通", "亲子游戏活动带领", "家访与个案跟进"][number],
                        "logged_by": person,
                        "confirmed_by": staff if outcome else None,
                        "confirmed_at": _at(datetime.date(year, 7 + 2 * number, 1), 10) if outcome else None,
                    },
                )
    return learners


def _sessions(module, learners, year) -> None:
    """Two held sessions of the first module on the calendar (meetings of the "training session"
    kind), the learners invited, attendance recorded on their invitations."""
    for number, month in enumerate((5, 9), start=1):
        title = f"{module.name} 培训 第{number}讲"
        starts = _at(datetime.date(year, month, 12), 9)
        meeting, _ = Meeting.objects.get_or_create(
            kind=MeetingKind.TRAINING_SESSION,
            title=title,
            defaults={
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=6),
                "place": "同心源培训室",
                "status": MeetingStatus.HELD,
            },
        )
        TrainingSession.objects.get_or_create(module=module, meeting=meeting)
        for application, outcome in learners:
            if application.module_id == module.pk:
                present = bool(outcome) or number == 1
                Invitation.objects.get_or_create(
                    meeting=meeting,
                    person_id=application.applicant_id,
                    defaults={
                        "organisation_id": application.organisation_id,
                        "is_manual": True,
                        "rsvp": Rsvp.ACCEPTED,
                        "attendance": Attendance.PRESENT if present else Attendance.ABSENT,
                    },
                )


def _completion(learners, staff, year) -> None:
    completed_on = datetime.date(year + 1, 3, 20)
    for application, outcome in learners:
        if application.status == ApplicationStatus.DEFERRED and not application.deferral_reason:
            application.deferral_reason = "产假，申请延期至下一期结业。"
            application.save(update_fields=["deferral_reason"])
        if not outcome:
            continue
        if application.learner_rating is None:
            application.learner_rating = Decimal("4.5")
            application.supervisor_rating = Decimal("5.0") if outcome == "honour" else Decimal("4.0")
            application.parent_rating = Decimal("4.5")
            application.completed_on = completed_on
            application.save()
        Certificate.objects.get_or_create(
            application=application, defaults={"issued_on": completed_on, "honour": outcome == "honour"}
        )
        if outcome == "honour" and application.incentive_amount is None:
            application.incentive_amount = application.suggested_incentive()
            application.incentive_paid_on = datetime.date(year + 1, 4, 15)
            application.save(update_fields=["incentive_amount", "incentive_paid_on"])
