"""Boxes on the role home page (see hubsite/views.py): a fixed number of queries each."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .checks import checks
from .choices import UPCOMING_STATUSES, Rsvp
from .models import ActionItem, Invitation, Meeting

LIMIT = 6
# Rows of each meeting check on the home page: at 1,000 partners nearly all can be overdue, and a list
# of 960 names is neither read nor fast. The box says how many and links to the page with them all.
CHECKS_SHOWN = 10


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
        boxes.append(network_fortnight())
        boxes.append(
            {"template": "meetings/panels/checks.html", "width": "col-12", **checks(shown=CHECKS_SHOWN)}
        )
    return boxes


def network_fortnight() -> dict:
    """For hub staff: every meeting of the next 14 days with its replies counted, and overdue items (2 queries)."""
    now = _now()
    meetings = list(
        Meeting.objects.filter(
            status__in=UPCOMING_STATUSES, starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=14)
        )
        # What the box shows (title, link, time, replies): no joined organisations to group by.
        .only("title", "kind", "starts_at")
        .annotate(
            invited=Count("invitations"),
            accepted=Count("invitations", filter=Q(invitations__rsvp=Rsvp.ACCEPTED)),
            declined=Count("invitations", filter=Q(invitations__rsvp=Rsvp.DECLINED)),
        )
        .order_by("starts_at")
    )
    # Due dates are local days: at 00:30 in Shanghai the UTC date is still yesterday's.
    overdue = ActionItem.objects.open().filter(due_on__lt=timezone.localdate(now)).count()
    return {"template": "meetings/panels/fortnight.html", "meetings": meetings, "overdue_items": overdue}


def _now():
    return timezone.now()
