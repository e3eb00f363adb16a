"""The site's own boxes on the home page: for the hub, reminders that could not be delivered (e-mail and
channels); for partner people, what is due, first (``arrange``)."""

import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from hubsite.core.models import Delivery, Notification
from meetings.choices import UPCOMING_STATUSES, Rsvp
from meetings.models import Invitation
from partners.models import Centre, Organisation
from reports import home as reports_home
from reports import periods
from reports.models import MonthlyReport


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


# --- The partner's and director's home on a phone: the three things due, first -----------------

DUE_TEMPLATE = "hubsite/panels/due.html"
# Months before this month's report that may still be missing: a year is what anyone fixes from a phone.
MISSING_MONTHS_BACK = 12
RSVPS_SHOWN = 6


def arrange(request, panels: list[dict]) -> list[dict]:
    """Partner people (teachers and directors) get one box first with what is due: this month's
    report, the months returned or never handed in (oldest first, the hub's comment, a button to fix
    each) and the meetings waiting for their reply. It takes over the reports app's boxes for this
    month and the returned months (their data, no query again) and costs two queries more."""
    user = request.user
    if not (user.is_partner and user.organisation_id):
        return panels
    current = returned = None
    rest = []
    for panel in panels:
        if panel.get("template") == reports_home.TEMPLATE and panel.get("kind") == "own":
            current = panel
        elif panel.get("template") == reports_home.RETURNED_TEMPLATE:
            returned = panel
        else:
            rest.append(panel)
    month = current["month"] if current else periods.add_months(periods.first_of(timezone.localdate()), -1)
    fixes = (
        [{"month": report.month, "report": report, "returned": True} for report in returned["reports"]]
        if returned
        else []
    )
    fixes += [
        {"month": missing, "report": None, "returned": False}
        for missing in missing_months(user.organisation_id, month)
    ]
    fixes.sort(key=lambda fix: fix["month"])
    due = {
        "template": DUE_TEMPLATE,
        "width": "col-12",
        "current": current,
        "fixes": fixes,
        "returned_count": sum(fix["returned"] for fix in fixes),
        "missing_count": sum(not fix["returned"] for fix in fixes),
        "rsvps": awaiting_reply(user),
    }
    return [due, *rest]


def missing_months(organisation_id: int, month) -> list:
    """The months before ``month`` (a year back) the organisation was expected to report for (the
    grid's rule: active, a centre operating that month) and has not handed in; oldest first (1 query)."""
    months = [periods.add_months(month, -back) for back in range(MISSING_MONTHS_BACK, 0, -1)]
    flags = {}
    for index, each in enumerate(months):
        operating = Centre.objects.operating_in_month(each, periods.last_of(each)).filter(
            organisation=OuterRef("pk")
        )
        handed_in = MonthlyReport.objects.filter(
            organisation=OuterRef("pk"), month=each, first_submitted_at__isnull=False
        )
        flags[f"m{index}"] = ExpressionWrapper(
            Q(Exists(operating)) & ~Q(Exists(handed_in)), output_field=BooleanField()
        )
    found = Organisation.objects.active().filter(pk=organisation_id).values(**flags).first()
    if not found:
        return []
    return [each for index, each in enumerate(months) if found[f"m{index}"]]


def awaiting_reply(user) -> list:
    """The person's invitations to coming meetings they have not answered, soonest first (1 query)."""
    return list(
        Invitation.objects.filter(
            person=user,
            rsvp=Rsvp.PENDING,
            meeting__status__in=UPCOMING_STATUSES,
            meeting__starts_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")[:RSVPS_SHOWN]
    )
