"""Writes with side effects: requesting a report (one active run per parameters) and meeting packs.

Each is a ``do_*`` function; the job is published through the outbox, so it leaves only on commit.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from hubsite.core import outbox
from meetings.choices import UPCOMING_STATUSES, MeetingKind
from meetings.models import Meeting

from ..models import GeneratedReport, MeetingReportPack
from . import periods
from .choices import GenerationStatus, PeriodKind, ReportScope

PACK_DAYS_BEFORE = 7
# Which report goes with which meeting: the last complete quarter / half-year before the meeting.
PACK_PERIODS = {
    MeetingKind.QUARTERLY_DIRECTORS: PeriodKind.QUARTER,
    MeetingKind.HALF_YEAR_REGIONAL: PeriodKind.HALF_YEAR,
}


def _enqueue_generation(report: GeneratedReport) -> None:
    """Through the outbox: committed with the report row, published after commit or, if the broker is
    down, by the sweep when it is back (the report stays queued meanwhile, it is never lost)."""
    outbox.enqueue("reports.generate_regional_report", report.pk)


def do_request_report(
    *, by, kind: str, start: datetime.date, scope: str, prefecture=None, organisation=None
) -> tuple[GeneratedReport, bool]:
    """Queue a report, or return the queued/running one with the same parameters (created False).

    Partner directors get their own organisation's report whatever was posted: the server sets it.
    A queued or running one whose job stopped is marked failed first (``fail_stale``), so asking
    again after a failure or a stale job always starts a new job; meeting packs that were waiting
    on a failed report with these parameters get the new one. ``fail_stale`` commits one report at a
    time before the request's own transaction, so a request refused by the unique constraint does not
    take back the failure notices already sent.
    """
    if by is not None and not by.is_hub and not by.is_viewer:
        scope, prefecture, organisation = ReportScope.ORGANISATION, None, by.organisation
    if scope == ReportScope.REGION:
        prefecture = organisation = None
    elif scope == ReportScope.PREFECTURE:
        organisation = None
    else:
        prefecture = None
    start = periods.normalise(kind, start)
    parameters = {
        "period_kind": kind,
        "period_start": start,
        "scope": scope,
        "prefecture": prefecture,
        "organisation": organisation,
    }
    GeneratedReport.objects.filter(**parameters).fail_stale()
    try:
        with transaction.atomic():
            report = GeneratedReport.objects.create(requested_by=by, **parameters)
            _enqueue_generation(report)
            MeetingReportPack.objects.filter(
                report__in=GeneratedReport.objects.filter(status=GenerationStatus.FAILED, **parameters)
            ).update(report=report)
    except IntegrityError:
        # The partial unique constraint: the same request is queued or running already.
        return GeneratedReport.objects.active().get(**parameters), False
    return report, True


def do_attach_meeting_packs(now: datetime.datetime | None = None) -> list[MeetingReportPack]:
    """Give every directors' and regional meeting starting within a week its report pack.

    Runs daily (beat); meetings already given a pack are skipped, so a repeat is a no-op and a
    missed day is caught up by the next run. One transaction per meeting, so packs already attached
    stay when a later meeting's fails.
    """
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        kind__in=list(PACK_PERIODS),
        status__in=UPCOMING_STATUSES,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=PACK_DAYS_BEFORE),
        report_pack__isnull=True,
    ).order_by("starts_at")
    packs = []
    for meeting in meetings:
        kind = PACK_PERIODS[meeting.kind]
        start = periods.containing_previous(kind, timezone.localtime(meeting.starts_at).date())
        with transaction.atomic():
            report = (
                GeneratedReport.objects.filter(
                    period_kind=kind,
                    period_start=start,
                    scope=ReportScope.REGION,
                    status=GenerationStatus.DONE,
                )
                .order_by("-finished_at")
                .first()
            )
            if report is None:
                report, _created = do_request_report(
                    by=None, kind=kind, start=start, scope=ReportScope.REGION
                )
            pack, created = MeetingReportPack.objects.get_or_create(
                meeting=meeting, defaults={"report": report}
            )
            if created:
                packs.append(pack)
    return packs
