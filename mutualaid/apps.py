from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualaidConfig(AppConfig):
    """The regional mutual-aid support group."""

    name = "mutualaid"
    verbose_name = _("Mutual-aid group")

    def ready(self):
        from . import signals  # noqa: F401 - keeps the hub panel's cached evaluation fresh
        from .timeline import register as register_timeline

        register_timeline()

        _register_attachments()

        from meetings.hooks import meeting_panels

        from .group_views import topic_panels

        # The host of a monthly topic meeting sees the voted topics on the meeting's page.
        meeting_panels.register(topic_panels)


def _register_attachments():
    """Receipts on a study-visit claim until the hub has checked it; budget sheets and plans on an
    expansion-funding application while it is open. The hub may add at any time; ``for_user`` keeps
    both to the organisation and the hub."""
    from hubsite.core import attachments
    from hubsite.core.models import AttachmentKind

    from .choices import ClaimStatus, VisitStatus
    from .models import Activity, ExpansionFundingApplication, StudyVisit

    attachments.register(
        StudyVisit,
        can_view=lambda user, visit: True,
        can_add=lambda user, visit: (
            user.is_hub
            or (
                user.is_partner
                and visit.status != VisitStatus.DECLINED
                and visit.claim_status in (ClaimStatus.NONE, ClaimStatus.SUBMITTED)
            )
        ),
        kinds=[AttachmentKind.RECEIPT, AttachmentKind.PHOTO, AttachmentKind.OTHER],
        max_count=20,
    )
    attachments.register(
        ExpansionFundingApplication,
        can_view=lambda user, application: True,
        can_add=lambda user, application: user.is_hub or (user.is_partner and application.is_open),
        kinds=[AttachmentKind.BUDGET_SHEET, AttachmentKind.PLAN, AttachmentKind.PHOTO, AttachmentKind.OTHER],
        max_count=10,
    )
    # The activity supply library's materials (plans, photos, hand-outs): the provider adds them, every
    # partner who may see the listing reads them (shared), photos of children only with consent.
    attachments.register(
        Activity,
        can_view=lambda user, activity: user.is_hub or user.is_partner,
        can_add=lambda user, activity: user.is_hub or user.organisation_id == activity.organisation_id,
        kinds=[AttachmentKind.PLAN, AttachmentKind.PHOTO, AttachmentKind.OTHER],
        max_count=10,
        shared=True,
    )
