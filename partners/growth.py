"""The growth file's state changes (stage decisions, graduation, the yearly needs answers) and who
hears of them: the organisation's directors wait for the hub's decisions and are told at once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import Role

from .choices import GraduationDecision, stage_label
from .models import NeedsAnswer, NeedsAssessment, Organisation, SupportCycle, User

STAGE_DECIDED = register_kind(
    "partners.stage", gettext_lazy("Development stage decided"), roles={Role.DIRECTOR}
)
GRADUATION_DECIDED = register_kind(
    "partners.graduation", gettext_lazy("Graduation decision of a support cycle"), roles={Role.DIRECTOR}
)


def directors_of(organisation: Organisation, *, besides=None):
    people = User.objects.filter(organisation=organisation, role=Role.DIRECTOR, is_active=True)
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return people


def do_change_stage(organisation: Organisation, stage: str, *, by, reason: str, on: datetime.date):
    """Record the hub's stage decision and tell the organisation's directors."""
    with transaction.atomic():
        change = organisation.change_stage(stage, by=by, reason=reason, on=on)
        context = {"org": organisation.display_name, "day": f"{on:%Y-%m-%d}", "reason": reason}
        for director in directors_of(organisation, besides=by):
            # Written in the director's language by notify: the stage's label too.
            notify(
                STAGE_DECIDED.code,
                director,
                key=object_key(organisation),
                step=f"stage:{change.pk}",
                subject=lambda: (
                    _("%(org)s is now in the %(stage)s stage") % {**context, "stage": stage_label(stage)}
                ),
                body=lambda: (
                    _(
                        "The hub decided that %(org)s is in the %(stage)s stage from %(day)s. The reason:\n%(reason)s"
                    )
                    % {**context, "stage": stage_label(stage)}
                ),
                url=reverse("partners:organisation_detail", args=[organisation.pk]),
            )
    return change


def do_decide_graduation(cycle: SupportCycle, decision: str, *, evidence: str, by, on: datetime.date) -> None:
    """Record whether the organisation graduates (出壳) at the end of this cycle; tell its directors."""
    with transaction.atomic():
        cycle.decide_graduation(decision, evidence=evidence, by=by, on=on)
        organisation = cycle.organisation
        context = {"org": organisation.display_name, "evidence": evidence}
        for director in directors_of(organisation, besides=by):
            # Written in the director's language by notify: the decision's label too.
            notify(
                GRADUATION_DECIDED.code,
                director,
                key=object_key(cycle),
                step=f"graduation:{cycle.version}",
                subject=lambda: (
                    _("Support cycle of %(org)s: %(decision)s")
                    % {**context, "decision": GraduationDecision(decision).label}
                ),
                body=lambda: (
                    _(
                        "The hub decided on the support cycle of %(org)s: %(decision)s. The evidence:\n%(evidence)s"
                    )
                    % {**context, "decision": GraduationDecision(decision).label}
                ),
                url=cycle.get_absolute_url(),
            )


def do_answer_needs(organisation: Organisation, year: int, answers, *, by) -> NeedsAssessment:
    """Save a year's questionnaire whole (every answer or none); filling it again replaces the answers."""
    with transaction.atomic():
        assessment, created = NeedsAssessment.objects.select_for_update().get_or_create(
            organisation=organisation, year=year, defaults={"filled_by": by}
        )
        if not created:
            assessment.filled_by = by
            assessment.save(update_fields=["filled_by", "updated_at"])
            assessment.answers.all().delete()
        NeedsAnswer.objects.bulk_create(
            NeedsAnswer(assessment=assessment, question=question, score=score, comment=comment)
            for question, score, comment in answers
        )
    return assessment
