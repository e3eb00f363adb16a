"""What higher apps may contribute to meetings (registered in their ``AppConfig.ready``)."""

from hubsite.core.hooks import Hook

topic_ideas = Hook(
    "meetings.topic_ideas",
    """Providers are ``provider(user, since, limit) -> list[dict]``: recent difficulties partners
    wrote down, each with "organisation", "month" and "text", scoped to what ``user`` may read. The
    monthly topic's host sees them as ideas for a topic (meetings/ideas.py).""",
)

meeting_panels = Hook(
    "meetings.meeting_panels",
    """Providers are ``provider(request, meeting) -> list[dict]``: boxes shown on a meeting's page
    under its details (the regional review's report pack, registered by the reports app), each a dict
    with "template" plus what it shows. A provider answers [] for meetings it has nothing for, without
    a query.""",
)
