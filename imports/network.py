"""Importing the network's register: organisations, centres and people.

Keys: an organisation by its full name, a centre by its organisation and name (case aside), a person
by e-mail. A row whose key exists updates that record; an empty cell keeps what is stored, so a sheet
of a few columns never erases the others.
"""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hubsite.core.forms import StyledForm, https_urls
from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES, Role
from partners import actions as partner_actions
from partners.choices import CentreStatus, DevelopmentStage, OrganisationStatus, Position, SiteType
from partners.models import Centre, County, Organisation, Prefecture, User

from .choices import ImportKind, RowAction
from .rows import (
    Column,
    Importer,
    LabelledChoiceField,
    LookupField,
    RowPlan,
    YesNoField,
    choice_label,
    diff,
    display,
    field_message,
    normalise,
    relax,
)


def _label(model, name):
    return model._meta.get_field(name).verbose_name


# Headings clearer in a sheet than the field's own name ("名称" of what?).
HEADINGS = {
    (Organisation, "name"): pgettext_lazy("imports", "Organisation full name"),
    (Centre, "name"): pgettext_lazy("imports", "Centre name"),
    (User, "email"): pgettext_lazy("imports", "E-mail"),
    (User, "full_name"): pgettext_lazy("imports", "Full name"),
    # As on the figures sheet and the report exports.
    (Centre, "organisation"): gettext_lazy("Organisation"),
    (User, "organisation"): gettext_lazy("Organisation"),
}


def columns_of(model, names, required) -> list[Column]:
    columns = []
    for name in names:
        heading = HEADINGS.get((model, name))
        own = _label(model, name)
        columns.append(
            Column(name, heading or own, required=name in required, aliases=(own,) if heading else ())
        )
    return columns


def row_form(name: str, model, model_fields: list[str], **extra) -> type[StyledForm]:
    """A row form with the model's own form fields (limits, formats, messages) plus ``extra``.

    ``_meta.model`` lets ``BoundsMixin`` copy each model field's bounds as on a model form.
    """
    attrs = dict(forms.fields_for_model(model, fields=model_fields, formfield_callback=https_urls))
    attrs.update(extra)
    attrs["_meta"] = SimpleNamespace(model=model)
    form_class = type(name, (StyledForm,), attrs)
    # Messages name a field as the sheet's heading does.
    for column in columns_of(model, form_class.base_fields, ()):
        form_class.base_fields[column.name].label = column.header
    return form_class


def _prefecture_lookup() -> dict:
    lookup = {}
    for prefecture in Prefecture.objects.all():
        for text in (prefecture.name, prefecture.code, prefecture.name_en):
            if text:
                lookup.setdefault(normalise(text), prefecture)
    return lookup


def _counties() -> dict:
    return {(c.prefecture_id, normalise(c.name)): c for c in County.objects.all()}


def _county(plan_form, counties, prefecture):
    """The county named in the row, inside the row's prefecture (None when the cell is empty)."""
    text = plan_form.cleaned_data.get("county")
    if not text or prefecture is None:
        return None
    county = counties.get((prefecture.pk, normalise(text)))
    if county is None:
        if any(key[1] == normalise(text) for key in counties):
            plan_form.add_error("county", _("This county is not in the chosen prefecture."))
        else:
            plan_form.add_error(
                "county",
                _("%(field)s “%(value)s” does not exist.")
                % {"field": _label(Organisation, "county"), "value": text},
            )
    return county


def _given(row) -> set:
    return {name for name, value in row.cells.items() if value}


def _new_changes(model, data: dict, labels: dict, given: set) -> list:
    return [
        [labels[name], "", display(choice_label(model, name, value))]
        for name, value in data.items()
        if name in given and name in labels and value not in (None, "")
    ]


# ---------------------------------------------------------------------------------------------
# Organisations

ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "description",
    "joined_on",
    "project_started_on",
]


class OrganisationImporter(Importer):
    kind = ImportKind.ORGANISATIONS

    @property
    def columns(self):
        names = [
            "name",
            "short_name",
            "prefecture",
            "county",
            *ORGANISATION_FIELDS[2:8],
            "status",
            *ORGANISATION_FIELDS[8:],
            "stage",
        ]
        return columns_of(Organisation, names, {"name"})

    def form_class(self):
        return row_form(
            "OrganisationRowForm",
            Organisation,
            ORGANISATION_FIELDS,
            prefecture=LookupField(label=_label(Organisation, "prefecture")),
            county=forms.CharField(label=_label(Organisation, "county"), required=False, max_length=50),
            status=LabelledChoiceField(
                label=_label(Organisation, "status"), choices=OrganisationStatus.choices, required=False
            ),
            stage=LabelledChoiceField(
                label=_label(Organisation, "stage"), choices=DevelopmentStage.choices, required=False
            ),
        )

    def plan_rows(self, rows):
        existing = {normalise(o.name): o for o in Organisation.objects.select_related("prefecture", "county")}
        prefectures, counties = _prefecture_lookup(), _counties()
        form_class = self.form_class()
        labels = {c.name: c.header for c in self.columns}
        plans, keys = [], {}
        for row in rows:
            plan = RowPlan(row.number, key=row.cells.get("name", ""))
            plans.append(plan)
            instance = existing.get(normalise(plan.key))
            form = form_class(row.cells)
            form.fields["prefecture"].lookup = prefectures
            if instance is None:
                form.fields["prefecture"].required = True
            else:
                relax(form, keep={"name"})
            if not form.is_valid():
                plan.form_errors(form)
                continue
            data = dict(form.cleaned_data)
            prefecture = data.get("prefecture") or (instance.prefecture if instance else None)
            data["county"] = _county(form, counties, prefecture)
            given = _given(row)
            if instance and instance.county_id and prefecture.pk != instance.county.prefecture_id:
                # Moved to another prefecture without a county: the old county cannot stay.
                given.add("county")
            if form.errors:
                plan.form_errors(form)
                continue
            keys[row.number] = normalise(data["name"])
            status = data.get("status")
            if (
                instance
                and status
                and status != instance.status
                and not instance.can_change_status_to(status)
            ):
                plan.error(
                    field_message(
                        labels["status"],
                        _("Cannot change status from %(old)s to %(new)s.")
                        % {"old": instance.get_status_display(), "new": OrganisationStatus(status).label},
                    )
                )
                continue
            plan.data, plan.instance = {k: v for k, v in data.items() if k in given}, instance
            if instance is None:
                plan.action = RowAction.NEW
                plan.changes = _new_changes(Organisation, data, labels, given)
            else:
                plan.changes = diff(instance, data, labels, given)
        self.check_duplicates(plans, keys)
        return plans

    def apply(self, plans):
        today = timezone.localdate()
        reason = _("Imported by %(person)s") % {"person": self.by}
        for plan in plans:
            data = dict(plan.data)
            status = data.pop("status", None)
            if plan.action == RowAction.NEW:
                organisation = Organisation(**data)
                organisation.status = status or OrganisationStatus.PROSPECT
                organisation.status_changed_on = data.get("joined_on") or today
                organisation.save()
            elif plan.action == RowAction.CHANGED:
                organisation = plan.instance
                for name, value in data.items():
                    setattr(organisation, name, value)
                organisation.save_versioned(organisation.version)
                if status and status != organisation.status:
                    organisation.change_status(status, by=self.by, reason=reason, on=today)


# ---------------------------------------------------------------------------------------------
# Centres

CENTRE_FIELDS = ["name", "address", "opened_on", "closed_on", "capacity", "opening_hours", "description"]


def _organisation_lookup() -> dict:
    """Organisations by full name and, where it names one organisation only, by short name."""
    lookup, short = {}, {}
    for organisation in Organisation.objects.select_related("prefecture"):
        lookup[normalise(organisation.name)] = organisation
        if organisation.short_name:
            short.setdefault(normalise(organisation.short_name), []).append(organisation)
    for text, found in short.items():
        if len(found) == 1:
            lookup.setdefault(text, found[0])
    return lookup


class CentreImporter(Importer):
    kind = ImportKind.CENTRES

    @property
    def columns(self):
        names = [
            "organisation",
            "name",
            "prefecture",
            "county",
            "address",
            "site_type",
            "status",
            "opened_on",
            "closed_on",
            "is_demonstration",
            "capacity",
            "opening_hours",
            "description",
        ]
        return columns_of(Centre, names, {"organisation", "name"})

    def form_class(self):
        return row_form(
            "CentreRowForm",
            Centre,
            CENTRE_FIELDS,
            organisation=LookupField(label=_label(Centre, "organisation")),
            prefecture=LookupField(label=_label(Centre, "prefecture"), required=False),
            county=forms.CharField(label=_label(Centre, "county"), required=False, max_length=50),
            site_type=LabelledChoiceField(label=_label(Centre, "site_type"), choices=SiteType.choices),
            status=LabelledChoiceField(
                label=_label(Centre, "status"), choices=CentreStatus.choices, required=False
            ),
            is_demonstration=YesNoField(label=_label(Centre, "is_demonstration"), required=False),
        )

    def plan_rows(self, rows):
        organisations = _organisation_lookup()
        existing = {
            (c.organisation_id, normalise(c.name)): c
            for c in Centre.objects.select_related("organisation", "prefecture", "county")
        }
        prefectures, counties = _prefecture_lookup(), _counties()
        form_class = self.form_class()
        labels = {c.name: c.header for c in self.columns}
        plans, keys = [], {}
        for row in rows:
            plan = RowPlan(
                row.number, key=f"{row.cells.get('organisation', '')} / {row.cells.get('name', '')}"
            )
            plans.append(plan)
            form = form_class(row.cells)
            form.fields["organisation"].lookup = organisations
            form.fields["prefecture"].lookup = prefectures
            organisation = organisations.get(normalise(row.cells.get("organisation")))
            instance = (
                existing.get((organisation.pk, normalise(row.cells.get("name")))) if organisation else None
            )
            if instance is not None:
                relax(form, keep={"organisation", "name"})
            if not form.is_valid():
                plan.form_errors(form)
                continue
            data = dict(form.cleaned_data)
            given = _given(row) - {"organisation"}
            if instance is None:
                # A new centre lies where its organisation is unless the sheet says otherwise.
                data["prefecture"] = data.get("prefecture") or organisation.prefecture
                given |= {"prefecture"}
            prefecture = data.get("prefecture") or instance.prefecture
            data["county"] = _county(form, counties, prefecture)
            if form.errors:
                plan.form_errors(form)
                continue
            keys[row.number] = (organisation.pk, normalise(data["name"]))
            data = {k: v for k, v in data.items() if k in given}
            candidate = Centre(organisation=organisation, status=CentreStatus.PLANNED)
            if instance is not None:
                candidate.__dict__.update({k: v for k, v in instance.__dict__.items() if k != "_state"})
                candidate._state.adding = False
            for name, value in data.items():
                setattr(candidate, name, value)
            try:
                candidate.clean()  # the model's own rules: closing after opening, dates by status
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        plan.error(
                            field_message(labels.get(name, ""), message) if name in labels else message
                        )
                continue
            plan.data, plan.instance = data, instance
            plan.key = f"{organisation.display_name} / {data.get('name') or instance.name}"
            if instance is None:
                plan.action = RowAction.NEW
                plan.data["organisation"] = organisation
                plan.changes = _new_changes(Centre, data, labels, given)
            else:
                plan.changes = diff(instance, data, labels, given)
        self.check_duplicates(plans, keys)
        return plans

    def apply(self, plans):
        for plan in plans:
            if plan.action == RowAction.NEW:
                Centre.objects.create(**plan.data)
            elif plan.action == RowAction.CHANGED:
                centre = plan.instance
                for name, value in plan.data.items():
                    setattr(centre, name, value)
                centre.save_versioned(centre.version)


# ---------------------------------------------------------------------------------------------
# People


class PersonImporter(Importer):
    """People with a login and no password: they set one from the invitation e-mail (when the person
    importing asks for it) or from "forgot password" on the login page."""

    kind = ImportKind.PEOPLE

    @property
    def columns(self):
        names = ["email", "full_name", "phone", "role", "position", "organisation"]
        return columns_of(User, names, {"email"})

    def form_class(self):
        roles = [(v, label) for v, label in Role.choices if self.by.is_hub_admin or v != Role.HUB_ADMIN]
        return row_form(
            "PersonRowForm",
            User,
            ["email", "full_name", "phone"],
            role=LabelledChoiceField(label=_label(User, "role"), choices=roles),
            position=LabelledChoiceField(
                label=_label(User, "position"), choices=Position.choices, required=False
            ),
            organisation=LookupField(label=_label(User, "organisation"), required=False),
        )

    def plan_rows(self, rows):
        organisations = _organisation_lookup()
        existing = {u.email.lower(): u for u in User.objects.select_related("organisation")}
        form_class = self.form_class()
        labels = {c.name: c.header for c in self.columns}
        plans, keys = [], {}
        for row in rows:
            email = User.objects.normalize_email(row.cells.get("email", "")).strip().lower()
            row.cells["email"] = email
            plan = RowPlan(row.number, key=email)
            plans.append(plan)
            instance = existing.get(email)
            form = form_class(row.cells)
            form.fields["organisation"].lookup = organisations
            if instance is not None:
                relax(form, keep={"email"})
            if not form.is_valid():
                plan.form_errors(form)
                continue
            data = dict(form.cleaned_data)
            given = _given(row)
            if instance is not None and instance.is_hub_admin and not self.by.is_hub_admin:
                plan.error(_("Only hub admins may change a hub admin."))
                continue
            role = data.get("role") or instance.role
            organisation = (
                data.get("organisation")
                if "organisation" in given
                else (instance.organisation if instance else None)
            )
            # The rules of the person form and of the model, word for word.
            if role in HUB_ROLES and organisation and not organisation.is_hub:
                plan.error(
                    field_message(labels["organisation"], _("Hub staff belong to the hub, not to a partner."))
                )
                continue
            if role in PARTNER_ROLES and organisation is None:
                plan.error(
                    field_message(labels["organisation"], _("Partner people must belong to an organisation."))
                )
                continue
            keys[row.number] = email
            plan.data = {k: v for k, v in data.items() if k in given}
            plan.instance = instance
            if instance is None:
                plan.action = RowAction.NEW
                plan.changes = _new_changes(User, plan.data, labels, given)
            else:
                plan.changes = diff(instance, plan.data, labels, given)
        self.check_duplicates(plans, keys)
        return plans

    def apply(self, plans):
        now = timezone.now()
        for plan in plans:
            if plan.action == RowAction.NEW:
                person = User(
                    **plan.data, invited_by=self.by, invited_at=now if self.send_invitations else None
                )
                person.set_unusable_password()
                person.full_clean()
                person.save()
                partner_actions.sync_login_email(person)
                if self.send_invitations:
                    partner_actions.do_resend_invitation(person)
            elif plan.action == RowAction.CHANGED:
                person = plan.instance
                for name, value in plan.data.items():
                    setattr(person, name, value)
                person.full_clean()
                person.save()
