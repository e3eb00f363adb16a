"""Topic ideas for the monthly host: difficulties partners wrote in recent monthly reports.

The monthly reports app (issue 3) is being built in parallel. This module is the only place that
knows about it, and it asks for one function, ``reports.api.recent_difficulties(since, limit)``,
returning dicts with "organisation", "month" and "text". Until that exists it returns [] and the
topic page simply shows no ideas. Wire it after the merge by adding that function to reports.
"""

from __future__ import annotations

import datetime
import importlib

from django.utils import timezone

LOOKBACK_DAYS = 120


def recent_difficulties(limit: int = 10, today: datetime.date | None = None) -> list[dict]:
    try:
        api = importlib.import_module("reports.api")
    except ModuleNotFoundError as error:
        if error.name not in ("reports.api", "reports"):
            raise
        return []
    provider = getattr(api, "recent_difficulties", None)
    if provider is None:
        return []
    since = (today or timezone.localdate()) - datetime.timedelta(days=LOOKBACK_DAYS)
    return list(provider(since=since, limit=limit))
