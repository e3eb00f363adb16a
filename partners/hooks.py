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
