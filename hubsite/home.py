"""The hub's own box on the home page: reminders that could not be delivered."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from hubsite.core.models import Notification


def panels(request) -> list[dict]:
    if not request.user.is_hub:
        return []
    stuck_since = timezone.now() - datetime.timedelta(hours=1)
    counts = Notification.objects.aggregate(
        failed=Count("pk", filter=Q(email_status=Notification.EmailStatus.FAILED)),
        stuck=Count(
            "pk", filter=Q(email_status=Notification.EmailStatus.PENDING, created_at__lt=stuck_since)
        ),
    )
    return [{"template": "hubsite/panels/reminders.html", **counts}]
