"""Topic ideas for the monthly host: difficulties partners wrote in recent monthly reports.

The reports app lies above meetings, so it registers its provider into ``meetings.hooks.topic_ideas``;
with nothing registered the topic page simply shows no ideas.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .hooks import topic_ideas

LOOKBACK_DAYS = 120


def recent_difficulties(user, limit: int = 10, today: datetime.date | None = None) -> list[dict]:
    since = (today or timezone.localdate()) - datetime.timedelta(days=LOOKBACK_DAYS)
    ideas = topic_ideas.collect(user, since=since, limit=limit)
    # Several providers each give their newest; the page wants the newest of all.
    ideas.sort(key=lambda idea: idea["month"], reverse=True)
    return ideas[:limit]
