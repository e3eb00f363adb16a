"""Every page of the talent programme costs the same number of queries whatever the amount of data
behind it: built once with one row of everything and once with five (programmes, modules, learners,
sessions with attendance, practice records, other applications of the same person)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.choices import Attendance, MeetingKind, MeetingStatus
from meetings.models import Invitation, Meeting
from training.choices import ApplicationStatus
from training.models import Certificate, Module, PracticeRecord, Programme, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media, make_user, make_application, org_a, org_b, partner, director, hub_staff):
    """`world(size)`: ``size`` programmes, the first with ``size`` modules; the first module with
    ``size`` learners at ``size`` held sessions; the learner ``partner`` with ``size`` practice
    records; a graduate with a certificate and ``size`` other completed modules; an application
    waiting for the director's endorsement."""

    def build(size):
        now = timezone.now()
        window = {"opens_at": now - datetime.timedelta(days=1), "closes_at": now + datetime.timedelta(days=9)}
        programmes = [Programme.objects.create(year=2025, name=f"培养计划{i}") for i in range(size)]
        modules = [
            Module.objects.create(programme=programmes[0], name=f"模块{i}", min_practice_records=1, **window)
            for i in range(size)
        ]
        for programme in programmes[1:]:
            Module.objects.create(programme=programme, name="模块", **window)
        module = modules[0]
        learner = make_application(module, partner, status=ApplicationStatus.SELECTED, score=90)
        learner.evidence.save("summary.pdf", ContentFile(b"%PDF-1.4 stand-in"), save=False)
        learner.evidence_name = "活动总结.pdf"
        learner.save()
        others = [
            make_application(
                module,
                make_user(
                    f"learner{i}@example.org", "partner_staff", (org_a, org_b)[i % 2], full_name=f"学员{i}"
                ),
                status=ApplicationStatus.SELECTED,
                score=70 + i,
            )
            for i in range(size - 1)
        ]
        graduate = make_application(
            module,
            director,
            status=ApplicationStatus.COMPLETED,
            completed_on=timezone.localdate(),
            learner_rating=Decimal("4.5"),
            supervisor_rating=Decimal("4.5"),
            parent_rating=Decimal("4.5"),
        )
        certificate = Certificate.objects.create(application=graduate, issued_on=timezone.localdate())
        for other_module in modules[1:]:
            make_application(other_module, director, status=ApplicationStatus.COMPLETED, incentive_amount=100)
        submitted = make_application(
            modules[-1] if size > 1 else module,
            make_user("applicant@example.org", "partner_staff", org_a, full_name="申请人"),
        )
        start = now - datetime.timedelta(days=30)
        for i in range(size):
            meeting = Meeting.objects.create(
                kind=MeetingKind.TRAINING_SESSION,
                title=f"第{i + 1}讲",
                starts_at=start + datetime.timedelta(days=i),
                ends_at=start + datetime.timedelta(days=i, hours=3),
                status=MeetingStatus.HELD,
            )
            TrainingSession.objects.create(module=module, meeting=meeting)
            for application in (learner, graduate, *others):
                Invitation.objects.create(
                    meeting=meeting,
                    person=application.applicant,
                    organisation=application.organisation,
                    attendance=Attendance.PRESENT,
                )
        records = [
            PracticeRecord.objects.create(
                application=learner,
                served_on=timezone.localdate() - datetime.timedelta(days=i),
                description="家长小组",
                logged_by=partner,
                confirmed_by=hub_staff if i else None,
                confirmed_at=now if i else None,
            )
            for i in range(size)
        ]
        return {
            "programme": programmes[0],
            "module": module,
            "learner": learner,
            "graduate": graduate,
            "certificate": certificate,
            "submitted": submitted,
            "record": records[0],
        }

    return build


def name_of(key):
    return lambda objects, size: objects[key].applicant.full_name


# page name, persona, the object its URL names (a key of the world), queries, what the page must show
PAGES = [
    # session, user, programmes, their modules (prefetched)
    ("programme_list", "hub_staff", None, 4, lambda o, size: f"培养计划{size - 1}"),
    ("programme_create", "hub_staff", None, 2, lambda o, size: 'name="incentive_cap"'),
    # session, user, programme, its modules with places taken
    ("programme_detail", "partner", "programme", 4, lambda o, size: f"模块{size - 1}"),
    ("apply", "partner", "programme", 4, lambda o, size: f"模块{size - 1}"),
    ("module_create", "hub_staff", "programme", 3, lambda o, size: 'name="min_attendance_percent"'),
    # session, user, module with places, applications, sessions with attendance counted
    ("module_detail", "hub_staff", "module", 5, lambda o, size: f"第{size}讲"),
    ("module_detail", "director", "module", 5, lambda o, size: f"第{size}讲"),
    ("module_edit", "hub_staff", "module", 3, lambda o, size: 'value="模块0"'),
    ("session_add", "hub_staff", "module", 4, lambda o, size: f"模块0 第{size + 1}讲"),
    # session, user, application, records, certificate, sessions with the learner's marks,
    # attendance twice, confirmed records
    ("application_detail", "hub_staff", "learner", 9, lambda o, size: "100%"),
    ("application_detail", "director", "graduate", 9, lambda o, size: "100%"),
    ("evidence", "director", "learner", 3, None),
    ("endorse", "director", "submitted", 3, name_of("submitted")),
    ("score", "hub_staff", "submitted", 3, name_of("submitted")),
    ("decide", "hub_staff", "submitted", 3, name_of("submitted")),
    ("withdraw", "partner", "learner", 3, name_of("learner")),
    ("practice_log", "partner", "learner", 3, name_of("learner")),
    ("practice_confirm", "hub_staff", "record", 3, lambda o, size: o["learner"].applicant.full_name),
    ("ratings", "hub_staff", "learner", 3, name_of("learner")),
    ("defer", "hub_staff", "learner", 3, name_of("learner")),
    ("complete", "hub_staff", "learner", 3, name_of("learner")),
    ("incentive", "hub_staff", "graduate", 3, lambda o, size: 'name="amount" value="3600'),
    ("certificate_pdf", "partner", "graduate", 7, None),
    ("verify", None, "certificate", 1, lambda o, size: o["graduate"].applicant.full_name),
]


def url_of(name, target, objects):
    if target is None:
        return reverse(f"training:{name}")
    obj = objects[target]
    if target == "certificate":
        return reverse(f"training:{name}", kwargs={"code": obj.code})
    return reverse(f"training:{name}", args=[obj.pk])


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(("name", "persona", "target", "queries", "shows"), PAGES)
def test_every_page_runs_a_fixed_number_of_queries(
    world, personas, client_for, django_assert_num_queries, size, name, persona, target, queries, shows
):
    objects = world(size)
    client = client_for(personas[persona] if persona else None)
    url = url_of(name, target, objects)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if shows is None:  # a file: the evidence as uploaded, the certificate as a PDF
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"%PDF-1.")
    else:
        assert shows(objects, size) in response.content.decode()
