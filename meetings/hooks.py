"""What higher apps may contribute to meetings (registered in their ``AppConfig.ready``)."""

from hubsite.core.hooks import Hook

topic_ideas = Hook(
    "meetings.topic_ideas",
    """Providers are ``provider(user, since, limit) -> list[dict]``: recent difficulties partners
    wrote down, each with "organisation", "month" and "text", scoped to what ``user`` may read. The
    monthly topic's host sees them as ideas for a topic (meetings/ideas.py).""",
)
