"""The hub's own box on the home page: reminders that could not be delivered (e-mail and channels)."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from hubsite.core.models import Delivery, Notification


def panels(request) -> list[dict]:
    if not request.user.is_hub:
        return []
    stuck_since = timezone.now() - datetime.timedelta(hours=1)
    # One query for the panel: the join to deliveries repeats a notification once per delivery, so
    # the e-mail counts count distinct notifications.
    counts = Notification.objects.aggregate(
        failed=Count("pk", distinct=True, filter=Q(email_status=Notification.EmailStatus.FAILED)),
        stuck=Count(
            "pk",
            distinct=True,
            filter=Q(email_status=Notification.EmailStatus.PENDING, created_at__lt=stuck_since),
        ),
        failed_deliveries=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    )
    return [{"template": "hubsite/panels/reminders.html", **counts}]
