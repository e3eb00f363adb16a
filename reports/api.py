"""What other apps may ask the monthly reports (one query each)."""

from __future__ import annotations

import datetime

from .choices import COUNTED_STATUSES
from .models import MonthlyReport, ReportValue


def recent_difficulties(user, since: datetime.date, limit: int = 10) -> list[dict]:
    """The "difficulties and needs" written in handed-in reports since ``since`` that ``user`` may read.

    The monthly topic's host sees them as ideas for a topic (meetings/ideas.py). Reports are internal
    to their organisation, so a partner sees their own organisation's, hub staff everyone's.
    """
    rows = (
        ReportValue.objects.filter(
            report__in=MonthlyReport.objects.for_user(user),
            indicator__code="difficulties",
            report__status__in=COUNTED_STATUSES,
            month__gte=since.replace(day=1),
        )
        .exclude(text="")
        .select_related("report__organisation")
        .order_by("-month", "report__organisation__name")[:limit]
    )
    return [
        {"organisation": value.report.organisation, "month": value.month, "text": value.text}
        for value in rows
    ]
