"""Importing past monthly figures: one row per organisation, month, centre (empty: the organisation's
own figures) and indicator code.

The rows of one organisation-month become one report, checked by the report form itself
(``reports.forms.ReportForm`` for submitting: types, bounds, required figures, the ``within`` rule)
and written through the report's own lifecycle (start, save, submit, approve), so an imported month
obeys the same rules as one typed in the site. It enters approved, with the file and the person
named on the approval in its history. A month the platform already holds is left alone: the same
figures count as unchanged, different ones are an error, never an overwrite.
"""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.forms import StyledForm
from hubsite.core.validators import MonthField
from partners.models import Centre
from reports import periods
from reports.actions import do_save_report, do_submit_report
from reports.choices import EDITABLE_STATUSES, ReportStatus, Scope
from reports.forms import ReportForm, field_name
from reports.models import Indicator, MonthlyReport, ReportValue, ValidationRule
from reports.validation import check_units

from .choices import ImportKind, RowAction
from .network import _organisation_lookup
from .rows import Column, Importer, LookupField, RowPlan, field_message, normalise, rebind


class ImportConflict(Exception):
    """The database changed between the check and the write (the message says how)."""


class FigureRowForm(StyledForm):
    organisation = LookupField(label=gettext_lazy("Organisation"))
    month = MonthField(label=gettext_lazy("Month"), bounds=bounds.REPORT_MONTH)
    centre = forms.CharField(label=gettext_lazy("Centre"), required=False, max_length=120)
    indicator = LookupField(label=pgettext_lazy("imports", "Indicator code"))
    value = forms.CharField(label=pgettext_lazy("imports", "Value"), max_length=5000)


def _operating(centre: Centre, month) -> bool:
    last = periods.last_of(month)
    return (
        centre.opened_on is not None
        and centre.opened_on <= last
        and (centre.closed_on is None or centre.closed_on >= month)
    )


def _valid(indicator: Indicator, month) -> bool:
    return indicator.valid_from <= month and (indicator.valid_until is None or indicator.valid_until >= month)


class FigureImporter(Importer):
    kind = ImportKind.FIGURES

    @property
    def columns(self):
        return [
            Column(name, FigureRowForm.base_fields[name].label, required=name != "centre")
            for name in FigureRowForm.base_fields
        ]

    def plan_rows(self, rows):
        self.rules = list(ValidationRule.objects.filter(active=True))
        organisations = _organisation_lookup()
        indicators = list(Indicator.objects.select_related("within"))
        indicator_lookup = {}
        for indicator in indicators:
            indicator_lookup[normalise(indicator.code)] = indicator
            indicator_lookup.setdefault(normalise(indicator.label_zh), indicator)
        this_month = periods.first_of(timezone.localdate())
        plans, cells = [], {}
        # One form checks every row in turn: a form per row (a deep copy of each field) was most of
        # the time a sheet of thousands of rows took.
        form = FigureRowForm()
        form.fields["organisation"].lookup = organisations
        form.fields["indicator"].lookup = indicator_lookup
        for row in rows:
            plan = RowPlan(
                row.number,
                key=" ".join(
                    v
                    for v in (row.cells.get(n, "") for n in ("organisation", "month", "centre", "indicator"))
                    if v
                ),
            )
            plans.append(plan)
            rebind(form, row.cells)
            if not form.is_valid():
                plan.form_errors(form)
                continue
            data = dict(form.cleaned_data)
            if data["month"] >= this_month:
                plan.error(
                    field_message(
                        form.fields["month"].label, _("Only months that have ended can be imported.")
                    )
                )
                continue
            cells[row.number] = data
        self._plan_reports(plans, cells, indicators)
        return plans

    def _plan_reports(self, plans, cells, indicators):
        """Group the rows into reports and check each through the report form."""
        by_number = {plan.number: plan for plan in plans}
        org_ids = {data["organisation"].pk for data in cells.values()}
        centres = defaultdict(dict)
        for centre in Centre.objects.filter(organisation_id__in=org_ids):
            centres[centre.organisation_id][normalise(centre.name)] = centre
        months = {data["month"] for data in cells.values()}
        reports = {
            (r.organisation_id, r.month): r
            for r in MonthlyReport.objects.filter(organisation_id__in=org_ids, month__in=months)
        }
        stored = defaultdict(dict)
        for value in ReportValue.objects.filter(report__in=list(reports.values())):
            stored[value.report_id][(value.centre_id, value.indicator_id)] = value
        groups = defaultdict(list)
        for number, data in cells.items():
            groups[(data["organisation"], data["month"])].append(number)
        for (organisation, month), numbers in groups.items():
            seen = {}
            operating = [c for c in centres[organisation.pk].values() if _operating(c, month)]
            valid = [i for i in indicators if _valid(i, month)]
            fields, ok = {}, True
            for number in numbers:
                plan, data = by_number[number], cells[number]
                cell = self._cell(plan, data, centres[organisation.pk], operating, valid, month)
                if cell is None:
                    ok = False
                    continue
                name = field_name(*cell)
                if name in seen:
                    plan.error(_("the same record as row %(row)s.") % {"row": seen[name]})
                    ok = False
                    continue
                seen[name] = number
                fields[name] = (number, data["value"], cell)
                plan.key = f"{organisation.display_name} {month:%Y-%m} {cell[0] and data['centre'] or _('(whole organisation)')} {cell[1].code}"
            if not ok:
                continue
            report = reports.get((organisation.pk, month))
            if report is None and not operating:
                by_number[numbers[0]].error(
                    _("%(org)s had no operating centre in %(month)s.")
                    % {"org": organisation.display_name, "month": f"{month:%Y-%m}"}
                )
                continue
            if report is not None and report.status in EDITABLE_STATUSES:
                by_number[numbers[0]].error(
                    _(
                        "The %(month)s report of %(org)s is being filled in on the platform (%(status)s): finish or return it there first."
                    )
                    % {
                        "month": f"{month:%Y-%m}",
                        "org": organisation.display_name,
                        "status": report.get_status_display(),
                    }
                )
                continue
            target = report or MonthlyReport(organisation=organisation, month=month, version=0)
            form = ReportForm(
                {"version": target.version, **{name: text for name, (_n, text, _c) in fields.items()}},
                report=target,
                indicators=valid,
                centres=operating,
                stored={},
                for_submit=report is None,
            )
            form.is_valid()
            for name, errors in form.errors.items():
                number = fields[name][0] if name in fields else numbers[0]
                label = self._cell_label(form, name, operating)
                for error in errors:
                    by_number[number].error(field_message(label, error))
            if form.errors:
                continue
            reasons = (
                self._check_rules(form, fields, by_number, numbers, operating, month)
                if report is None
                else []
            )
            if reasons is None:
                continue
            self._compare(report, stored, fields, form, by_number, organisation, month)
            for number in numbers:
                if by_number[number].action == RowAction.NEW:
                    by_number[number].data["warning_reasons"] = reasons

    def _check_rules(self, form, fields, by_number, numbers, operating, month):
        """The validation rules of the month, as on submitting: a broken error rule is the error of
        each row it reads; a broken warning is shown on the preview and kept with the report, its
        reason the import itself (the reviewer reads it). None when an error rule is broken."""
        rules = [r for r in self.rules if r.applies_to(month)]
        if not rules:
            return []
        rows_by_cell = {(cell[0], cell[1].code): number for number, _text, cell in fields.values()}
        names = {c.pk: c.name for c in operating}
        reasons, broken = [], False
        for violation in check_units(rules, form.figures(form.cleaned_data)):
            where = names.get(violation.unit, "") if violation.unit else ""
            text = f"{where + ': ' if where else ''}{violation.message} ({violation.figures()})"
            read = [rows_by_cell.get((violation.unit, code)) for code in sorted(violation.rule.codes())]
            read = [number for number in read if number] or [numbers[0]]
            if violation.is_error:
                broken = True
                for number in read:
                    by_number[number].error(text)
                continue
            by_number[read[0]].warnings.append(text)
            reasons.append(
                {
                    "key": violation.key,
                    "rule": violation.rule.pk,
                    "centre": where,
                    "message": violation.message,
                    "figures": violation.figures(),
                    "reason": _("Past figures imported from %(file)s as they were reported.")
                    % {"file": self.file_name},
                }
            )
        return None if broken else reasons

    def _cell(self, plan, data, org_centres, operating, valid, month):
        """(centre id or None, indicator) of a row, or None after naming the row's error."""
        indicator, centre_name = data["indicator"], data["centre"]
        if indicator not in valid:
            plan.error(
                _("The indicator %(code)s does not apply to %(month)s.")
                % {"code": indicator.code, "month": f"{month:%Y-%m}"}
            )
            return None
        if indicator.scope == Scope.ORGANISATION:
            if centre_name:
                plan.error(
                    _("%(code)s is a figure of the whole organisation: leave the centre empty.")
                    % {"code": indicator.code}
                )
                return None
            return None, indicator
        if not centre_name:
            plan.error(_("%(code)s is a figure per centre: name the centre.") % {"code": indicator.code})
            return None
        centre = org_centres.get(normalise(centre_name))
        if centre is None:
            plan.error(
                _("Centre “%(value)s” does not exist in %(org)s.")
                % {"value": centre_name, "org": data["organisation"].display_name}
            )
            return None
        if centre not in operating:
            plan.error(
                _("Centre “%(value)s” was not operating in %(month)s.")
                % {"value": centre.name, "month": f"{month:%Y-%m}"}
            )
            return None
        return centre.pk, indicator

    @staticmethod
    def _cell_label(form, name, operating) -> str:
        label = form.fields[name].label if name in form.fields else ""
        if name.startswith("c"):
            centre_id = int(name[1:].split("__")[0])
            centre = next((c for c in operating if c.pk == centre_id), None)
            if centre is not None:
                return f"{centre.name} {label}"
        return str(label)

    def _compare(self, report, stored, fields, form, by_number, organisation, month):
        values = form.values() if report is None else None
        for name, (number, _text, (centre_id, indicator)) in fields.items():
            plan = by_number[number]
            new = indicator.display(*indicator.to_storage(form.cleaned_data.get(name)))
            if report is None:
                plan.action = RowAction.NEW
                plan.changes = [[indicator.label, "", new]]
                plan.data = {"organisation": organisation, "month": month, "values": values}
                continue
            current = stored[report.pk].get((centre_id, indicator.pk))
            old = indicator.display(current.number, current.text) if current else ""
            if old != new:
                plan.error(
                    _(
                        "The %(month)s report of %(org)s is already %(status)s on the platform with %(old)s, not %(new)s; an import does not overwrite it."
                    )
                    % {
                        "month": f"{month:%Y-%m}",
                        "org": organisation.display_name,
                        "status": report.get_status_display(),
                        "old": old or "—",
                        "new": new,
                    }
                )
            else:
                plan.action = RowAction.UNCHANGED

    def apply(self, plans):
        reports = {}
        for plan in plans:
            if plan.action == RowAction.NEW:
                key = (plan.data["organisation"].pk, plan.data["month"])
                reports.setdefault(key, plan.data)
        note = _("Imported from %(file)s by %(person)s.") % {"file": self.file_name, "person": self.by}
        for data in reports.values():
            report = MonthlyReport.start(data["organisation"], data["month"], by=self.by)
            if report.status != ReportStatus.DRAFT or report.values.exists():
                raise ImportConflict(
                    _("Someone started the %(month)s report of %(org)s while you were importing.")
                    % {"month": f"{data['month']:%Y-%m}", "org": data["organisation"].display_name}
                )
            # The report app's own steps: its save, its submit with the validation rules (the
            # warnings' reasons kept for the reviewer) and outlier flags, its approval. Nobody is
            # told: these months were over long before the platform knew of them.
            do_save_report(
                report,
                data["values"],
                by=self.by,
                expected_version=report.version,
                warning_reasons=data["warning_reasons"],
            )
            do_submit_report(report, by=self.by)
            event = report.approve(by=self.by)
            event.comment = note
            event.save(update_fields=["comment"])
