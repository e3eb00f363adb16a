"""The eligibility overview's table rows, drawn in one Python pass.

A page of the overview is a hundred organisations of five explained criteria: through the templates
(``mutualaid/_result.html`` included per cell) that was 500 includes and most of a first visit's time
after a change. The rows are the same HTML, built from strings escaped here; the words are translated
once per page, not once per cell. ``mutualaid/_result.html`` stays the template of the review round's
table, and the two must keep saying the same.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .choices import Status

# A pk no organisation has: the checklist's address is reversed once and the real pk put in its place.
_PK_MARK = "987654321987654321"


def _badges() -> dict[str, str]:
    """Each status's badge (``mutualaid/_result.html``) in the active language."""
    return {
        Status.MET.value: f'<span class="badge text-bg-success">✓ {escape(gettext("Met"))}</span>',
        Status.NOT_MET.value: f'<span class="badge text-bg-danger">✗ {escape(gettext("Not met"))}</span>',
        None: f'<span class="badge text-bg-secondary">? {escape(gettext("Unknown"))}</span>',
    }


def result_cell(result, badges: dict[str, str], optional: str) -> str:
    """One criterion's ``<td>``, as ``{% include "mutualaid/_result.html" %}`` drew it."""
    status = str(result.status)
    explanation = escape(result.explanation)
    badge = badges.get(status) or badges[None]
    return (
        f'<td><details class="criterion criterion-{escape(status)}">\n'
        f'  <summary title="{explanation}">{badge}{"" if result.required else optional}</summary>\n'
        f'  <div class="small mt-1">{explanation}</div>\n'
        f"</details>\n</td>"
    )


def overview_rows(evaluations, members) -> SafeString:
    """The ``<tr>`` of each evaluation, in order: organisation (a member badge if it is one), the five
    criteria and the overall result, as ``mutualaid/overview.html`` drew them row by row."""
    badges = _badges()
    optional = f' <span class="badge text-bg-light">{escape(gettext("optional"))}</span>'
    member = f' · <span class="badge text-bg-info">{escape(gettext("member"))}</span>'
    qualifies = f'<span class="badge text-bg-success">{escape(gettext("Qualifies"))}</span>'
    checklist = reverse("mutualaid:checklist", args=[_PK_MARK])
    rows = []
    for evaluation in evaluations:
        org = evaluation.organisation
        missing = evaluation.missing_count
        if missing == 0:
            overall = qualifies
        else:
            # The count is escaped as blocktranslate escapes its variables; the sentence is not.
            overall = '<span class="badge text-bg-warning">{}</span>'.format(
                ngettext("Missing %(count)s", "Missing %(count)s", missing) % {"count": missing}
            )
        cells = "".join(result_cell(result, badges, optional) for result in evaluation.results)
        rows.append(
            f'\n    <tr data-org="{org.pk}">\n'
            f'      <td><a href="{checklist.replace(_PK_MARK, str(org.pk))}">{escape(org.display_name)}</a>\n'
            f'        <div class="small text-muted">{escape(org.prefecture)}'
            f"{member if org.pk in members else ''}</div></td>\n"
            f"      {cells}\n"
            f'      <td class="overall">{overall}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above went through escape()
