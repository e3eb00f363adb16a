"""What higher apps may contribute to the partners' pages (registered in their ``AppConfig.ready``)."""

from hubsite.core.hooks import Hook

organisation_panels = Hook(
    "partners.organisation_panels",
    """Providers are ``provider(request, organisation) -> list[dict]``: boxes shown on an
    organisation's page after its profile (targets and achievement from the reports app, for
    example), each a dict with "template" plus what it shows. A provider decides itself who may see
    its box (the page is open to every role, hub and own people see more) and spends a fixed number
    of queries whatever the data size.""",
)

timeline_sources = Hook(
    "partners.timeline_sources",
    """Providers are ``provider(organisation, user, since, until) -> list[dict]``: what happened to
    an organisation between two dates (both included), for its support timeline. Each event is a dict
    with "date" (a date or an aware datetime), "category" (a short label: "Supervision", "Award" ...),
    "title", and optionally "detail" and "url". A provider spends ONE query whatever the data size
    and shows only what ``user`` may read (the page is open to the hub and the organisation's own
    people).""",
)
