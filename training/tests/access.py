"""Access matrix for the talent programme. Org A's people applied: `other` (org B) must get 404 for
their applications, evidence, practice and certificate. Programmes, modules and the talent pool are
shared inside the network (viewers, who are outside it, get 403); the certificate's verification page
is public."""

import datetime
from decimal import Decimal

from tests.matrix import Case, expect, hub_only, own_org, public

NETWORK = expect(hub_admin=200, director=200, other=200, viewer=403)
PARTNERS_ONLY = expect(hub_admin=403, director=200, other=200, viewer=403)
OWN_ORG = own_org(viewer=403)
OWN_ORG_PARTNERS = expect(hub_admin=403, director=200, other=404, viewer=403)
DIRECTOR_ONLY = expect(hub_admin=403, director=200, partner=403, other=403, viewer=403)
HUB_POST = hub_only(302)


def setup(world):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from meetings.choices import MeetingKind
    from meetings.models import Meeting
    from training.choices import ApplicationStatus, Education
    from training.models import (
        Application,
        Certificate,
        Module,
        PracticeRecord,
        Programme,
        TrainingSession,
    )

    now = timezone.now()
    world.programme = Programme.objects.create(year=2025, name="2025-26 亲子园指导师培养计划")
    window = {"opens_at": now - datetime.timedelta(days=1), "closes_at": now + datetime.timedelta(days=10)}
    world.module = Module.objects.create(programme=world.programme, name="正向教养家长引导师", **window)
    world.module_2 = Module.objects.create(programme=world.programme, name="正向教养儿童引导师", **window)
    profile = {"organisation": world.org_a, "years_in_child_services": 3, "education": Education.BACHELOR}
    world.learner = Application.objects.create(
        module=world.module, applicant=world.partner, status=ApplicationStatus.SELECTED, score=80, **profile
    )
    world.learner.evidence.save("summary.pdf", ContentFile(b"%PDF-1.4 stand-in"), save=False)
    world.learner.evidence_name = "活动总结.pdf"
    world.learner.save()
    world.submitted = Application.objects.create(module=world.module_2, applicant=world.partner, **profile)
    world.graduate = Application.objects.create(
        module=world.module,
        applicant=world.director,
        status=ApplicationStatus.COMPLETED,
        completed_on=timezone.localdate(),
        **profile,
    )
    world.certificate = Certificate.objects.create(application=world.graduate, issued_on=timezone.localdate())
    world.record = PracticeRecord.objects.create(
        application=world.learner,
        served_on=timezone.localdate(),
        description="亲子活动",
        logged_by=world.partner,
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.TRAINING_SESSION,
        title="引导师培训 第1讲",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=3),
    )
    world.session = TrainingSession.objects.create(module=world.module, meeting=meeting)
    world.incentive = Decimal("2000")
    world.next_week = timezone.localdate() + datetime.timedelta(days=7)


def learner(w):
    return {"pk": w.learner.pk}


def submitted(w):
    return {"pk": w.submitted.pk}


def graduate(w):
    return {"pk": w.graduate.pk}


CASES = [
    Case("training:programme_list", NETWORK),
    Case("training:programme_create", hub_only()),
    Case("training:programme_detail", NETWORK, kwargs=lambda w: {"pk": w.programme.pk}),
    Case("training:apply", PARTNERS_ONLY, kwargs=lambda w: {"pk": w.programme.pk}),
    Case("training:module_create", hub_only(), kwargs=lambda w: {"pk": w.programme.pk}),
    Case("training:module_detail", NETWORK, kwargs=lambda w: {"pk": w.module.pk}),
    Case("training:module_edit", hub_only(), kwargs=lambda w: {"pk": w.module.pk}),
    Case("training:session_add", hub_only(), kwargs=lambda w: {"pk": w.module.pk}),
    Case(
        "training:session_add",
        HUB_POST,
        kwargs=lambda w: {"pk": w.module.pk},
        method="post",
        data=lambda w: {
            "title": "引导师培训 第2讲",
            "starts_at": w.next_week.strftime("%Y-%m-%dT09:00"),
            "ends_at": w.next_week.strftime("%Y-%m-%dT12:00"),
            "place": "同心源培训室",
        },
    ),
    Case("training:application_list", NETWORK),
    Case("training:application_list", NETWORK, query="q=蓝"),
    Case("training:application_detail", OWN_ORG, kwargs=learner),
    Case("training:application_detail", OWN_ORG, kwargs=graduate),
    Case("training:evidence", OWN_ORG, kwargs=learner),
    Case("training:endorse", DIRECTOR_ONLY, kwargs=submitted),
    Case(
        "training:endorse",
        expect(hub_admin=403, director=302, partner=403, other=403, viewer=403),
        kwargs=submitted,
        method="post",
    ),
    Case("training:score", hub_only(), kwargs=submitted),
    Case("training:score", HUB_POST, kwargs=submitted, method="post", data={"score": 70, "note": ""}),
    Case("training:decide", hub_only(), kwargs=submitted),
    Case("training:decide", HUB_POST, kwargs=submitted, method="post", data={"decision": "not_selected"}),
    Case("training:withdraw", OWN_ORG, kwargs=submitted),
    Case("training:withdraw", own_org(302, viewer=403), kwargs=submitted, method="post"),
    Case("training:practice_log", OWN_ORG_PARTNERS, kwargs=learner),
    Case(
        "training:practice_log",
        expect(hub_admin=403, director=302, other=404, viewer=403),
        kwargs=learner,
        method="post",
        data=lambda w: {"served_on": w.record.served_on.isoformat(), "description": "家长小组"},
    ),
    Case("training:practice_confirm", hub_only(), kwargs=lambda w: {"pk": w.record.pk}),
    Case("training:practice_confirm", HUB_POST, kwargs=lambda w: {"pk": w.record.pk}, method="post"),
    Case("training:ratings", hub_only(), kwargs=learner),
    Case(
        "training:ratings",
        HUB_POST,
        kwargs=learner,
        method="post",
        data={"learner": "4.5", "supervisor": "4", "parent": "5"},
    ),
    Case("training:defer", hub_only(), kwargs=learner),
    Case("training:defer", HUB_POST, kwargs=learner, method="post", data={"reason": "产假"}),
    Case("training:complete", hub_only(), kwargs=learner),
    Case("training:incentive", hub_only(), kwargs=graduate),
    Case(
        "training:incentive",
        HUB_POST,
        kwargs=graduate,
        method="post",
        data=lambda w: {"amount": str(w.incentive), "paid_on": ""},
    ),
    Case("training:certificate_pdf", OWN_ORG, kwargs=graduate),
    Case("training:talent_pool", NETWORK),
    Case("training:talent_pool", NETWORK, query="q=韦"),
    Case("training:verify", public(), kwargs=lambda w: {"code": w.certificate.code}),
    Case("training:verify", public(404), kwargs={"code": "not-a-real-code"}),
]
