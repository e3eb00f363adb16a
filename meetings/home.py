"""Boxes on the role home page (see hubsite/views.py): a fixed number of queries each."""

from django.db.models import Q

from .choices import UPCOMING_STATUSES
from .coverage import checks
from .models import ActionItem, Invitation, Meeting

LIMIT = 6


def panels(request) -> list[dict]:
    user = request.user
    boxes = []
    if user.is_viewer:
        upcoming = list(Meeting.objects.for_user(user).upcoming()[:LIMIT])
    else:
        upcoming = [
            invitation.meeting
            for invitation in Invitation.objects.filter(
                person=user, meeting__status__in=UPCOMING_STATUSES, meeting__ends_at__gte=_now()
            )
            .select_related("meeting")
            .order_by("meeting__starts_at")[:LIMIT]
        ]
    boxes.append({"template": "meetings/panels/upcoming.html", "meetings": upcoming})
    if not user.is_viewer:
        mine = Q(owner_person=user)
        if user.is_partner:
            mine |= Q(owner_person__isnull=True, owner_organisation_id=user.organisation_id)
        items = list(
            ActionItem.objects.for_user(user)
            .open()
            .filter(mine)
            .select_related("meeting", "owner_organisation")
            .order_by("due_on")[:20]
        )
        boxes.append({"template": "meetings/panels/action_items.html", "items": items})
    if user.is_hub:
        boxes.append({"template": "meetings/panels/coverage.html", "width": "col-12", **checks()})
    return boxes


def _now():
    from django.utils import timezone

    return timezone.now()
