"""Monthly-report reminders: an escalation ladder around each month's due date, sent exactly once.

For the report of month M, due on ``periods.due_date(M)`` (D):

=====================  ===========================  ==========================================
step                   when (calendar days)         to whom
=====================  ===========================  ==========================================
``before``             D - REPORT_REMINDER_DAYS_BEFORE  partner staff of each expected organisation
``due``                D                            the same people, if still not handed in
``late-director``      D + ..._DIRECTOR_DAYS_LATE   the organisation's director(s)
``late-digest``        D + ..._HUB_DAYS_LATE        every hub staff member: ONE e-mail listing all
                                                    organisations still late for M
``returned:<event>``   return + ..._RETURNED_DAYS   the report's editors (partner people of the
                                                    organisation who started, saved or submitted it)
=====================  ===========================  ==========================================

"Expected" is the grid's rule (``reports.grid``): an active organisation with a centre operating in
M; "not handed in": no report with ``first_submitted_at`` (a draft counts as not handed in, a
returned report has its own reminder).

Exactly once: each reminder is a ``Notification`` whose natural key (kind, recipient, object, step)
is unique, so a sweep run twice or concurrently creates nothing new. The returned-report step
carries the return event's id, so a second return cycle reminds again.

Missed beats and stale steps: the sweep looks at what is due on ``now``'s date, not only at what
became due today, so a sweep that runs late still sends every step that became due and is unsent.
Two exceptions, because the message would be wrong or useless: ``before`` is stale once the due
date has come (the ``due`` reminder replaces it), and any step not sent within
REPORT_REMINDER_STALE_DAYS days of becoming due is dropped (a sweep after a long outage, or the
first sweep after installing, does not dig up old months).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import (
    Pending,
    enqueue_pending_emails,
    in_batches,
    notify_many,
    object_key,
    register_kind,
)
from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from partners.models import Centre, Organisation, User

from . import periods
from .choices import EventAction, ReportStatus
from .models import MonthlyReport, ReportEvent

# Who receives each kind: see the table in the module's docstring.
DUE = register_kind(
    "reports.due", gettext_lazy("Monthly report due"), required=True, roles={Role.PARTNER_STAFF}
)
LATE = register_kind(
    "reports.late",
    gettext_lazy("Monthly report late (to the director)"),
    required=True,
    roles={Role.DIRECTOR},
)
LATE_DIGEST = register_kind(
    "reports.late_digest", gettext_lazy("Late monthly reports (hub digest)"), roles=HUB_ROLES
)
RETURNED = register_kind(
    "reports.returned",
    gettext_lazy("Monthly report returned and not yet resubmitted"),
    required=True,
    # The submitter may be hub staff filling in the hub's own centres' report.
    roles=PARTNER_ROLES | HUB_ROLES,
)
# Told at once by ``reports.actions`` (a return or a reopening uses RETURNED above, step ``notice:``).
APPROVED = register_kind(
    "reports.approved", gettext_lazy("Monthly report approved"), roles=PARTNER_ROLES | HUB_ROLES
)
RESUBMITTED = register_kind(
    "reports.resubmitted", gettext_lazy("A monthly report you returned was resubmitted"), roles=HUB_ROLES
)


def offsets() -> dict[str, int]:
    return {
        "before": getattr(settings, "REPORT_REMINDER_DAYS_BEFORE", 3),
        "director": getattr(settings, "REPORT_REMINDER_DIRECTOR_DAYS_LATE", 3),
        "hub": getattr(settings, "REPORT_REMINDER_HUB_DAYS_LATE", 7),
        "returned": getattr(settings, "REPORT_REMINDER_RETURNED_DAYS", 3),
        "stale": getattr(settings, "REPORT_REMINDER_STALE_DAYS", 30),
    }


def due_steps(month: datetime.date, today: datetime.date) -> list[str]:
    """The ladder's steps that are due and not stale on ``today`` for the report of ``month``."""
    o = offsets()
    due = periods.due_date(month)
    starts = {
        "before": due - datetime.timedelta(days=o["before"]),
        "due": due,
        "late-director": due + datetime.timedelta(days=o["director"]),
        "late-digest": due + datetime.timedelta(days=o["hub"]),
    }
    steps = []
    for step, start in starts.items():
        if not start <= today <= start + datetime.timedelta(days=o["stale"]):
            continue
        if step == "before" and today >= due:
            continue  # stale: the due-day reminder says the same, more urgently
        steps.append(step)
    return steps


def candidate_months(today: datetime.date) -> list[datetime.date]:
    """Months that may have a step due on ``today`` (ended months whose ladder is not all stale)."""
    o = offsets()
    reach = max(o["director"], o["hub"]) + o["stale"]
    current = periods.first_of(today)
    months = []
    for back in range(1, reach // 28 + 3):
        month = periods.add_months(current, -back)
        if periods.due_date(month) + datetime.timedelta(days=reach) >= today:
            months.append(month)
    return sorted(months)


def missing_organisations(month: datetime.date):
    """Expected to report for ``month`` (the grid's rule) and not handed in yet."""
    operating = Centre.objects.operating_in_month(month, periods.last_of(month)).filter(
        organisation=OuterRef("pk")
    )
    handed_in = MonthlyReport.objects.filter(
        organisation=OuterRef("pk"), month=month, first_submitted_at__isnull=False
    )
    return Organisation.objects.active().filter(Exists(operating)).exclude(Exists(handed_in))


def _month_key(organisation, month: datetime.date) -> str:
    return f"{object_key(organisation)}:{month:%Y-%m}"


def _people(role_filter: dict, month: datetime.date):
    return (
        User.objects.filter(is_active=True, organisation__in=missing_organisations(month), **role_filter)
        .select_related("organisation")
        # language: each reminder is written in its recipient's (notify_many reads it).
        .only(
            "pk",
            "email",
            "is_active",
            "language",
            "full_name",
            "organisation__name",
            "organisation__short_name",
        )
    )


def _ladder_message(step: str, month: datetime.date, person) -> tuple:
    """The reminder's subject and body as callables: ``notify_many`` writes them in the person's
    language (``hubsite.core.notifications.in_language_of``)."""
    due = periods.due_date(month)
    context = {"month": f"{month:%Y-%m}", "due": f"{due:%Y-%m-%d}", "org": person.organisation.name}

    def subject():
        if step == "before":
            return _("The %(month)s monthly report is due on %(due)s") % context
        if step == "due":
            return _("The %(month)s monthly report is due today") % context
        return _("The %(month)s monthly report of %(org)s is late") % context

    def body():
        if step == "before":
            text = _(
                "The monthly report of %(org)s for %(month)s is due on %(due)s and has not been handed in yet. "
                "Please fill it in and submit it before then."
            )
        elif step == "due":
            text = _(
                "The monthly report of %(org)s for %(month)s is due today (%(due)s) and has not been handed "
                "in yet. Please submit it today."
            )
        else:
            text = _(
                "The monthly report of %(org)s for %(month)s was due on %(due)s and has still not been "
                "handed in. As the organisation's director, please make sure it is submitted."
            )
        return text % context

    return subject, body


def _ladder_step(month: datetime.date, step: str, batch_size: int | None, pause=None) -> int:
    kind, roles = (
        (LATE.code, {"role": Role.DIRECTOR})
        if step == "late-director"
        else (
            DUE.code,
            {"role": Role.PARTNER_STAFF},
        )
    )
    url = reverse("reports:my_reports")
    created = 0
    for batch in in_batches(_people(roles, month), batch_size):
        items = []
        for person in batch:
            subject, body = _ladder_message(step, month, person)
            key = _month_key(person.organisation, month)
            items.append(Pending(kind, person, key, step, subject, body, url))
        created += notify_many(items, batch_size=batch_size)
        if pause:
            pause()
    return created


def _digest_step(month: datetime.date, batch_size: int | None) -> int:
    names = list(missing_organisations(month).order_by("name").values_list("name", flat=True))
    if not names:
        return 0
    due = periods.due_date(month)
    context = {"month": f"{month:%Y-%m}", "due": f"{due:%Y-%m-%d}", "count": len(names)}

    # Written in each hub person's language when the notification is created.
    def subject():
        return _("%(count)s organisations have not handed in the %(month)s monthly report") % context

    def body():
        return (
            _("These organisations have not handed in their monthly report for %(month)s (due %(due)s):")
            % context
            + "\n"
            + "\n".join(f"- {name}" for name in names)
        )

    url = reverse("reports:grid") + f"?year={month.year}"
    hub = User.objects.filter(is_active=True, role__in=HUB_ROLES).only("pk", "email", "is_active", "language")
    created = 0
    for batch in in_batches(hub, batch_size):
        items = [
            Pending(
                LATE_DIGEST.code, person, f"reports.month:{month:%Y-%m}", "late-digest", subject, body, url
            )
            for person in batch
        ]
        created += notify_many(items, batch_size=batch_size)
    return created


def _returned_step(now: datetime.datetime, batch_size: int | None) -> int:
    """Reports returned for revision at least N days ago and not resubmitted: remind their editors."""
    days = offsets()["returned"]
    reports = _returned_reports(now)
    if not reports:
        return 0
    recipients = _editors_of(reports)
    items = [
        reminder
        for report in reports
        for reminder in _returned_reminders(report, recipients.get(report.pk, []), days=days)
    ]
    return notify_many(items, batch_size=batch_size)


def _returned_reports(now: datetime.datetime) -> list:
    """Reports still returned whose latest return (or reopening) lies within the reminder window."""
    o = offsets()
    latest_return = ReportEvent.objects.filter(
        report=OuterRef("pk"), action__in=[EventAction.RETURNED, EventAction.REOPENED]
    ).order_by("-at", "-pk")
    return list(
        MonthlyReport.objects.filter(status=ReportStatus.RETURNED)
        .annotate(
            return_event=Subquery(latest_return.values("pk")[:1]),
            returned_at=Subquery(latest_return.values("at")[:1]),
        )
        .filter(
            returned_at__lte=now - datetime.timedelta(days=o["returned"]),
            returned_at__gte=now - datetime.timedelta(days=o["returned"] + o["stale"]),
        )
        .select_related("organisation")
    )


def _editors_of(reports: list) -> dict[int, list]:
    """Per report, the active partner people of its organisation who created, saved or submitted it
    (3 queries); a report started by the hub on the organisation's behalf goes to its staff."""
    editors: dict[int, set[int]] = {}
    for report_id, actor_id in (
        ReportEvent.objects.filter(
            report__in=[r.pk for r in reports],
            action__in=[EventAction.CREATED, EventAction.SAVED, EventAction.SUBMITTED],
            actor__is_active=True,
            actor__role__in=PARTNER_ROLES,
            actor__organisation=F("report__organisation"),
        )
        .values_list("report_id", "actor_id")
        .distinct()
    ):
        editors.setdefault(report_id, set()).add(actor_id)
    fallback_orgs = {r.organisation_id for r in reports if r.pk not in editors}
    people = {
        u.pk: u
        for u in User.objects.filter(is_active=True).filter(
            pk__in={pk for ids in editors.values() for pk in ids}
        )
    }
    staff: dict[int, list] = {}
    for user in User.objects.filter(
        is_active=True, role=Role.PARTNER_STAFF, organisation_id__in=fallback_orgs
    ):
        staff.setdefault(user.organisation_id, []).append(user)
    return {
        report.pk: [people[pk] for pk in sorted(editors.get(report.pk, ()))]
        or staff.get(report.organisation_id, [])
        for report in reports
    }


def _returned_reminders(report, recipients: list, *, days: int) -> list[Pending]:
    """The reminder for one returned report, once per recipient, keyed by the return it answers."""
    context = {
        "month": f"{report.month:%Y-%m}",
        "org": report.organisation.name,
        "days": days,
        "comment": report.hub_comment,
    }

    # Written in each editor's language when the notification is created.
    def subject():
        return _("The %(month)s monthly report is waiting for your revision") % context

    def body():
        return (
            _(
                "The hub returned the monthly report of %(org)s for %(month)s for revision %(days)s or more "
                "days ago and it has not been resubmitted yet. The hub's comment:"
            )
            % context
            + "\n"
            + report.hub_comment
        )

    url = reverse("reports:edit", args=[report.pk])
    return [
        Pending(
            RETURNED.code, person, object_key(report), f"returned:{report.return_event}", subject, body, url
        )
        for person in recipients
    ]


def sweep(now: datetime.datetime | None = None, *, batch_size: int | None = None, pause=None) -> dict:
    """Create every report reminder due at ``now`` that does not exist yet; returns counts by step.

    Each step's batches commit on their own (autocommit), so a worker killed half-way keeps what it
    created and the retried task creates only the rest. ``pause`` (tests) is called after each batch.
    The e-mails go out through one ``send_pending_notification_emails`` task enqueued at the end.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts: dict[str, int] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for month in candidate_months(today):
            for step in due_steps(month, today):
                if step == "late-digest":
                    created = _digest_step(month, batch_size)
                else:
                    created = _ladder_step(month, step, batch_size, pause)
                counts[step] = counts.get(step, 0) + created
        counts["returned"] = _returned_step(now, batch_size)
    enqueue_pending_emails()
    return counts
