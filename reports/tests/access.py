import datetime

from reports.choices import ReportStatus
from reports.targets import stamp
from reports.tests.factories import make_report, submitted
from tests.matrix import Case, expect, hub_admin_only, hub_only, own_org, public


def setup(world):
    from reports.defaults import load_default_indicators
    from reports.models import GeneratedReport, Indicator

    load_default_indicators(Indicator)  # a transactional test may have flushed the migration's rows
    world.report = make_report(world.org_a, datetime.date(2024, 1, 1))
    world.waiting = submitted(world.org_a, datetime.date(2024, 2, 1))
    world.approved = make_report(world.org_a, datetime.date(2024, 3, 1), status=ReportStatus.APPROVED)
    world.indicator = Indicator.objects.get(code="book_loans")
    from reports.models import ValidationRule
    from reports.validation import load_default_rules

    load_default_rules(ValidationRule)
    world.rule = ValidationRule.objects.get(name="families_within_visits")
    world.org_generated = _generated(scope="organisation", organisation=world.org_a, by=world.director)
    world.region_generated = _generated(scope="region", by=world.viewer)
    world.failed_generated = GeneratedReport.objects.create(
        period_kind="quarter",
        period_start=datetime.date(2023, 4, 1),
        scope="organisation",
        organisation=world.org_a,
        status="failed",
        failure_reason="生成中断",
        requested_by=world.director,
    )
    _annual_texts(world)


def _generated(*, by, **scope):
    """A done generated report with small stand-in files (a fixed name per test process, replaced each run)."""
    import datetime
    import os

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reports.models import GeneratedReport

    report = GeneratedReport.objects.create(
        period_kind="year", period_start=datetime.date(2023, 1, 1), status="done", requested_by=by, **scope
    )
    for field, content in (("pdf", b"%PDF-1.4 stand-in"), ("xlsx", b"PK stand-in")):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"regional-reports/access-matrix-{worker}/{scope['scope']}.{field}"
        default_storage.delete(name)
        setattr(report, field, default_storage.save(name, ContentFile(content)))
    report.save()
    return report


def _report(w):
    return {"pk": w.report.pk}


def _waiting(w):
    return {"pk": w.waiting.pk}


CASES = [
    Case("reports:my_reports", expect(hub_admin=200, director=200, other=200, viewer=403)),
    # The organisation is the user's own: org B's person starts org B's report (a redirect), nobody else's.
    Case(
        "reports:start",
        expect(hub_admin=302, director=302, other=302, viewer=403),
        kwargs={"year": 2024, "month": 4},
        method="post",
    ),
    Case("reports:detail", own_org(viewer=403), kwargs=_report),
    Case("reports:edit", own_org(viewer=403), kwargs=_report),
    Case("reports:edit", own_org(ok=302, viewer=403), kwargs=_report, method="post", data={"version": 1}),
    Case("reports:submit", own_org(ok=302, viewer=403), kwargs=_report, method="post"),
    Case("reports:approve", hub_only(302), kwargs=_waiting, method="post"),
    Case("reports:return", hub_only(302), kwargs=_waiting, method="post", data={"comment": "请补充"}),
    Case(
        "reports:reopen",
        hub_admin_only(302),
        kwargs=lambda w: {"pk": w.approved.pk},
        method="post",
        data={"reason": "数据有误"},
    ),
    Case("reports:review_queue", hub_only()),
    Case("reports:grid", hub_only(), query="year=2024"),
    Case("reports:grid_export", hub_only(), query="year=2024&format=xlsx"),
    Case("reports:figures", expect(hub_admin=200, director=403, other=403, viewer=200)),
    # The page's own table as a file: aggregates, so the viewers who see the page download it too.
    Case(
        "reports:figures",
        expect(hub_admin=200, director=403, other=403, viewer=200),
        query="indicator=child_visits&format=xlsx",
    ),
    # Partners export their own organisation's figures only (for_user); viewers see aggregates only.
    Case(
        "reports:figures_export",
        expect(hub_admin=200, director=200, other=200, viewer=403),
        query="year=2024",
    ),
    Case("reports:rule_list", hub_only()),
    Case("reports:rule_create", hub_admin_only()),
    Case("reports:rule_edit", hub_admin_only(), kwargs=lambda w: {"pk": w.rule.pk}),
    Case("reports:rule_violations", hub_only(), query="first=2024-01&last=2024-03"),
    Case("reports:indicator_list", hub_only()),
    Case("reports:indicator_create", hub_admin_only()),
    Case("reports:indicator_edit", hub_admin_only(), kwargs=lambda w: {"pk": w.indicator.pk}),
    # Generated regional reports: hub staff, viewers and directors; partner staff are not offered them.
    Case("reports:regional_list", expect(hub_admin=200, director=200, partner=403, other=403, viewer=200)),
    Case(
        "reports:regional_list",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=302),
        method="post",
        data={"period_kind": "year", "period": "2024-01", "scope": "region"},
    ),
    # Org A's own report: its director and the hub; a viewer's guessed URL gives 404.
    Case(
        "reports:regional_status",
        expect(hub_admin=200, director=200, partner=403, other=403, viewer=404),
        kwargs=lambda w: {"pk": w.org_generated.pk},
    ),
    # Generating a failed report again: the hub and its requester (org A's director); the viewer
    # cannot see an organisation's report (404), partner staff are not offered reports (403).
    Case(
        "reports:regional_retry",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=404),
        kwargs=lambda w: {"pk": w.failed_generated.pk},
        method="post",
    ),
    Case(
        "reports:regional_download",
        expect(hub_admin=200, director=200, partner=403, other=403, viewer=404),
        kwargs=lambda w: {"pk": w.org_generated.pk, "fmt": "pdf"},
    ),
    # A region report: aggregates for the hub and viewers; a director's guessed URL gives 404.
    Case(
        "reports:regional_download",
        expect(hub_admin=200, director=404, partner=403, other=403, viewer=200),
        kwargs=lambda w: {"pk": w.region_generated.pk, "fmt": "xlsx"},
    ),
    # The region's annual report as a web page: the hub always, viewers once published (none is
    # published for 2023 here: 404); partner people are not offered it.
    Case(
        "reports:annual_web",
        expect(hub_admin=200, director=403, partner=403, other=403, viewer=404),
        kwargs={"kind": "year", "month": "2023-01"},
    ),
    # The viewers' menu entry: a redirect to the newest published web edition, or (none published,
    # as here) to the regional reports with a note.
    Case("reports:annual_latest", expect(hub_admin=302, director=403, partner=403, other=403, viewer=302)),
    # Targets are set by the hub only; the organisation sees them on its own pages.
    Case("reports:targets", hub_only(), query="year=2024"),
    Case("reports:targets_edit", hub_only(), kwargs=lambda w: {"pk": w.org_a.pk, "year": 2024}),
    Case(
        "reports:targets_edit",
        hub_only(302),
        kwargs=lambda w: {"pk": w.org_a.pk, "year": 2024},
        method="post",
        data=lambda w: {"loaded": stamp(w.org_a, 2024), "org__child_visits": "3600"},
    ),
]


def _annual_texts(world):
    """Org A's own annual text with a story of its own, the region's text with a story about org A
    that the hub asked org A to agree to, and a share link."""
    from django.utils import timezone

    from reports.models import AnnualNarrative, AnnualStory

    world.annual_text = AnnualNarrative.objects.create(
        organisation=world.org_a, period_kind="year", period_start=datetime.date(2023, 1, 1), foreword="前言"
    )
    world.annual_text.share_token = "t" * 43
    world.annual_text.save()
    world.region_text = AnnualNarrative.objects.create(
        organisation=None, period_kind="year", period_start=datetime.date(2023, 1, 1), foreword="前言"
    )
    world.own_story = AnnualStory.objects.create(
        narrative=world.annual_text, title="绘本共读", body="本月开展了绘本共读", organisation=world.org_a
    )
    world.region_story = AnnualStory.objects.create(
        narrative=world.region_text,
        title="都安的故事",
        body="本月开展了绘本共读",
        organisation=world.org_a,
        consent_requested_at=timezone.now(),
        consent_requested_by=world.hub_staff,
    )


def _annual_text(w):
    return {"pk": w.annual_text.pk}


# Annual report texts: hub staff and partner directors write (their own organisation's); partner
# staff and viewers are not offered them (403); the consent page is for the story's organisation's
# director only. The shared web edition answers anyone holding the link.
WRITERS = {"hub_admin": 200, "director": 200, "partner": 403, "other": 403, "viewer": 403}
CASES += [
    Case("reports:annual_texts", expect(**WRITERS)),
    Case(
        "reports:annual_texts",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=403),
        method="post",
        data={"period_kind": "year", "period": "2023-01"},
    ),
    Case("reports:annual_text_edit", expect(**WRITERS), kwargs=_annual_text),
    Case(
        "reports:annual_text_edit",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=403),
        kwargs=_annual_text,
        method="post",
        data=lambda w: {"version": w.annual_text.version, "foreword": "新的前言"},
    ),
    Case("reports:annual_story_pick", expect(**WRITERS), kwargs=_annual_text),
    Case("reports:annual_text_preview", expect(**WRITERS), kwargs=_annual_text),
    Case(
        "reports:annual_text_share",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=403),
        kwargs=_annual_text,
        method="post",
        data={"action": "create"},
    ),
    Case(
        "reports:annual_text_publish",
        hub_only(302),
        kwargs=lambda w: {"pk": w.region_text.pk},
        method="post",
        data={"action": "publish"},
    ),
    Case("reports:annual_story_edit", expect(**WRITERS), kwargs=lambda w: {"pk": w.own_story.pk}),
    Case(
        "reports:annual_story_ask",
        hub_only(302),
        kwargs=lambda w: {"pk": w.region_story.pk},
        method="post",
    ),
    Case(
        "reports:annual_story_consent",
        expect(hub_admin=403, director=200, partner=403, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.region_story.pk},
    ),
    Case(
        "reports:annual_story_remove",
        expect(hub_admin=302, director=302, partner=403, other=403, viewer=403),
        kwargs=lambda w: {"pk": w.own_story.pk},
        method="post",
    ),
    Case("reports:annual_shared", public(), kwargs={"token": "t" * 43}),
    Case("reports:annual_shared", public(404), kwargs={"token": "u" * 43}),
]
