"""Writes of the monthly-report workflow with their side effects, each in one transaction.

The rules and transitions are ``MonthlyReport``'s methods (no side effects); these functions run them
and tell the people who wait for the step at once, in the same transaction: the notification rows
commit with the step, and their e-mails go through the outbox, published once the step commits. A
step that fails leaves neither a changed report nor a notification behind.

Who hears of what (kinds registered in ``reports.reminders`` with the reminders):

- returned, or an approved report reopened: the report's submitter and the organisation's partner
  people (``reports.returned``, with the hub's comment or the reason);
- approved: the same people (``reports.approved``);
- resubmitted after a return: the hub person who returned it (``reports.resubmitted``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import notify, object_key
from hubsite.core.roles import PARTNER_ROLES
from partners.models import Organisation, User

from .choices import EventAction, ReportStatus
from .models import MonthlyReport, ReportError, ReportEvent
from .outliers import outlier_flags
from .reminders import APPROVED, RESUBMITTED, RETURNED
from .validation import submission_problems

# How much of the hub's comment a subject line shows.
SUBJECT_GIST = 40


def do_start_report(organisation: Organisation, month: datetime.date, *, by) -> MonthlyReport:
    """The organisation's report for ``month``, started as a draft if there is none yet."""
    with transaction.atomic():
        return MonthlyReport.start(organisation, month, by=by)


def do_save_report(
    report: MonthlyReport, values: dict, *, by, expected_version: int, warning_reasons=None
) -> list[dict]:
    """Store the typed figures (refused when stale or no longer editable); returns the changes.
    ``warning_reasons`` (from "check and submit") replace the reasons kept for the rules' warnings."""
    with transaction.atomic():
        changes = report.save_values(values, by=by, expected_version=expected_version)
        if warning_reasons is not None:
            report.keep_warning_reasons(warning_reasons)
        return changes


def do_submit_report(report: MonthlyReport, *, by) -> ReportEvent:
    """Hand the report in; a resubmission tells the hub person who returned it. Refused while a
    validation rule's error stands or a warning has no reason (``reports.validation``)."""
    with transaction.atomic():
        problems = submission_problems(report) if report.can_edit(by) else []
        if problems:
            raise ReportError(
                _("The figures break validation rules: %(list)s") % {"list": "；".join(problems)}
            )
        event = report.submit(by=by)
        report.keep_outlier_flags(outlier_flags(report))
        if event.to_status == ReportStatus.RESUBMITTED:
            _tell_reviewer(report, event, by)
    return event


def do_approve_report(report: MonthlyReport, *, by) -> ReportEvent:
    with transaction.atomic():
        event = report.approve(by=by)
        _tell_partners(report, event, by)
    return event


def do_return_report(report: MonthlyReport, *, by, comment: str) -> ReportEvent:
    with transaction.atomic():
        event = report.return_for_revision(by=by, comment=comment)
        _tell_partners(report, event, by)
    return event


def do_reopen_report(report: MonthlyReport, *, by, reason: str) -> ReportEvent:
    with transaction.atomic():
        event = report.reopen(by=by, reason=reason)
        _tell_partners(report, event, by)
    return event


# --- Who is told, and what -------------------------------------------------------------------


def waiting_partners(report: MonthlyReport, *, besides) -> list:
    """Who waits for the hub's decision: the report's submitter and the organisation's active
    partner people, not the person who took the step."""
    waiting = Q(organisation_id=report.organisation_id, role__in=PARTNER_ROLES)
    if report.submitted_by_id:
        waiting |= Q(pk=report.submitted_by_id)
    return list(User.objects.filter(waiting, is_active=True).exclude(pk=besides.pk).order_by("pk"))


def _context(report: MonthlyReport, event: ReportEvent) -> dict:
    return {
        "org": report.organisation.name,
        "month": f"{report.month:%Y-%m}",
        "comment": event.comment,
        # The subject starts with what to change: each return of one report reads differently.
        "gist": Truncator(" ".join(event.comment.split())).chars(SUBJECT_GIST),
    }


def _partner_notice(event: ReportEvent) -> tuple:
    """The kind, the page to open and the texts (lazy, with placeholders) of the notice of a review step:
    formatted in each recipient's language by ``_tell_partners``."""
    if event.to_status == ReportStatus.APPROVED:
        return (
            APPROVED,
            "reports:detail",
            gettext_lazy("The %(month)s monthly report of %(org)s was approved"),
            gettext_lazy("The hub approved the monthly report of %(org)s for %(month)s. Thank you!"),
        )
    if event.from_status == ReportStatus.APPROVED:
        return (
            RETURNED,
            "reports:edit",
            gettext_lazy("The %(month)s monthly report of %(org)s was reopened for revision: %(gist)s"),
            gettext_lazy(
                "The hub reopened the approved monthly report of %(org)s for %(month)s so that it can be "
                "revised and submitted again. The reason:\n%(comment)s"
            ),
        )
    return (
        RETURNED,
        "reports:edit",
        gettext_lazy("The %(month)s monthly report of %(org)s was returned for revision: %(gist)s"),
        gettext_lazy(
            "The hub returned the monthly report of %(org)s for %(month)s for revision. Please "
            "correct it and submit it again. The hub's comment:\n%(comment)s"
        ),
    )


def _tell_partners(report: MonthlyReport, event: ReportEvent, by) -> None:
    kind, page, subject, body = _partner_notice(event)
    context = _context(report, event)
    for person in waiting_partners(report, besides=by):
        # Formatted by notify in the person's language (the lazy text is translated then).
        notify(
            kind.code,
            person,
            key=object_key(report),
            step=f"notice:{event.pk}",
            subject=lambda: subject % context,
            body=lambda: body % context,
            url=reverse(page, args=[report.pk]),
        )


def _tell_reviewer(report: MonthlyReport, event: ReportEvent, by) -> None:
    reviewer = report.reviewed_by
    if reviewer is None or not reviewer.is_active or not reviewer.is_hub or reviewer.pk == by.pk:
        return
    context = _context(report, event)
    context["count"] = report.events.filter(action=EventAction.SUBMITTED).count()
    # Written in the reviewer's language by notify.
    notify(
        RESUBMITTED.code,
        reviewer,
        key=object_key(report),
        step=f"notice:{event.pk}",
        subject=lambda: (
            _("%(org)s resubmitted the %(month)s monthly report (submission %(count)s)") % context
        ),
        body=lambda: (
            _(
                "%(org)s revised and submitted again the monthly report for %(month)s that you returned. "
                "It is waiting for review."
            )
            % context
        ),
        url=reverse("reports:detail", args=[report.pk]),
    )
