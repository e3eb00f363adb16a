"""Topic ideas for the monthly host: difficulties partners wrote in recent monthly reports.

This module is the only place that knows about the reports app, and it asks for one function,
``reports.api.recent_difficulties(user, since, limit)`` (scoped to what the user may read), returning dicts with "organisation", "month" and
"text"; without the reports app it returns [] and the topic page simply shows no ideas.
"""

from __future__ import annotations

import datetime
import importlib

from django.utils import timezone

LOOKBACK_DAYS = 120


def recent_difficulties(user, limit: int = 10, today: datetime.date | None = None) -> list[dict]:
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
    return list(provider(user, since=since, limit=limit))
