"""Forms never carry an organisation chosen by a partner: the actions take it from the user."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubsite.core import validators as bounds
from hubsite.core.forms import DateInput, StyledForm, VersionedFormMixin
from hubsite.core.roles import Role
from partners.choices import Rating, SiteType
from partners.models import Centre, Organisation, Prefecture, User

from .choices import (
    CRITERIA_ORDER,
    ActivityKind,
    ClaimStatus,
    Criterion,
    Decision,
    ExpansionRule,
    HelpFormat,
    MentorArea,
    PairingOutcome,
    RoundKind,
    SessionKind,
)


class PolicyForm(VersionedFormMixin, StyledForm):
    """A new policy version; ``version`` is the one the editor loaded (see ``do_change_policy``)."""

    required = forms.MultipleChoiceField(
        label=_("Required criteria"),
        choices=Criterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked criteria are optional."),
    )
    min_optional_met = forms.IntegerField(label=_("Minimum optional criteria met"), min_value=0, max_value=5)
    project_months = forms.IntegerField(label=_("Project length (months)"), min_value=1, max_value=120)
    min_rating = forms.ChoiceField(label=_("Minimum rating of the first centre"), choices=Rating.choices)
    expansion_rule = forms.ChoiceField(
        label=_("What counts as expanding (criterion 4)"), choices=ExpansionRule.choices
    )
    note = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        required = data.get("required") or []
        optional = len(CRITERIA_ORDER) - len(required)
        if data.get("min_optional_met") is not None and data["min_optional_met"] > optional:
            self.add_error(
                "min_optional_met", _("Only %(count)s criteria are optional.") % {"count": optional}
            )
        return data


class RunReviewForm(StyledForm):
    """A review round: evaluate the network as of a date (not a future one) under the current policy."""

    name = forms.CharField(label=pgettext_lazy("review round", "Name"), max_length=80)
    cohort = forms.CharField(label=_("Cohort"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    as_of = forms.DateField(label=_("As of"), widget=DateInput())

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("A review cannot be run as of a future date."))
        return as_of


class DecisionForm(StyledForm):
    """Admit an organisation of an admission round (from a date) or decline it."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(Decision.ADMITTED, _("Admit")), (Decision.DECLINED, _("Decline"))]
    )
    joined_on = forms.DateField(label=_("Member from"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Decision note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EndMembershipForm(StyledForm):
    """When and why a member leaves the group."""

    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(StyledForm):
    """A partner's expansion-funding application; the organisation is the applicant's own."""

    site_name = forms.CharField(label=_("Planned site"), max_length=120)
    prefecture = forms.ModelChoiceField(label=_("Prefecture"), queryset=Prefecture.objects.all())
    site_type = forms.ChoiceField(label=_("Site type"), choices=SiteType.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    budget = forms.DecimalField(
        label=_("Budget (yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        validators=[bounds.MONEY],
    )
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 4}))


class ApplicationReviewForm(StyledForm):
    """The hub's step on an application: take it under review, approve (an amount) or decline."""

    ACTIONS = [("start", _("Take under review")), ("approve", _("Approve")), ("decline", _("Decline"))]
    action = forms.ChoiceField(label=pgettext_lazy("application review", "Action"), choices=ACTIONS)
    amount = forms.DecimalField(
        label=_("Approved amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        validators=[bounds.MONEY],
    )
    create_centre = forms.BooleanField(label=_("Create the planned centre"), required=False)
    note = forms.CharField(label=_("Decision note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VisitForm(StyledForm):
    """A study-visit request to another organisation's operating centre."""

    host_centre = forms.ModelChoiceField(label=_("Centre to visit"), queryset=Centre.objects.none())
    visitors = forms.CharField(label=_("Who visits"), max_length=200)
    visit_on = forms.DateField(label=_("Visit date"), widget=DateInput())
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        validators=[bounds.MONEY],
    )
    purpose = forms.CharField(
        label=_("What to learn"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_centre"].queryset = (
            Centre.objects.for_user(user)
            .operating()
            .exclude(organisation_id=user.organisation_id)
            .select_related("organisation", "prefecture")
        )
        self.fields["host_centre"].label_from_instance = lambda c: (
            f"{c.prefecture} · {c.organisation} · {c.name}"
        )


class VisitDecisionForm(StyledForm):
    """Approve a study visit (within the budget) or decline it with a reason."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Decision note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ClaimForm(StyledForm):
    """After the visit: what it cost and what was learnt."""

    actual_cost = forms.DecimalField(
        label=_("Actual cost (yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        validators=[bounds.MONEY],
    )
    learning_note = forms.CharField(label=_("What we learnt"), widget=forms.Textarea(attrs={"rows": 4}))


class SessionForm(StyledForm):
    """A support or coaching session the hub held (``request``: the waiting-list entry it answers)."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.partners())
    director = forms.ModelChoiceField(
        label=_("Director"), queryset=User.objects.filter(role=Role.DIRECTOR), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    coach = forms.CharField(label=_("Coach"), max_length=80)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    request = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WaitingListForm(StyledForm):
    """A director's request for coaching."""

    topic = forms.CharField(label=_("What you want to work on"), max_length=200)


class OverviewFilterForm(StyledForm):
    """The overview's query: the evaluation date, and "one criterion missing" or "qualifies but is not a
    member" only."""

    as_of = forms.DateField(label=_("As of"), widget=DateInput(), required=False)
    missing = forms.BooleanField(required=False)
    # The hub home's "qualify now but are not members" list, in full.
    candidates = forms.BooleanField(required=False)


class SessionRequestForm(forms.Form):
    """``?request=<id>`` on the new-session page: a waiting-list entry to log a session for."""

    request = forms.IntegerField(required=False, min_value=1, max_value=bounds.MAX_INTEGER)


class ClaimCheckForm(StyledForm):
    """The hub's check of a claim: verify (at the amount the receipts support), reject, or paid."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ClaimStatus.VERIFIED, pgettext_lazy("claim", "Verify")),
            (ClaimStatus.REJECTED, _("Reject")),
            (ClaimStatus.PAID, _("Mark as paid")),
        ],
    )
    amount = forms.DecimalField(
        label=_("Verified amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        validators=[bounds.MONEY],
        required=False,
        help_text=_("Lower than the claim when a receipt is missing; say why below."),
    )
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MentorOfferForm(StyledForm):
    """A partner person's offer to mentor (their organisation is theirs, never chosen)."""

    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=MentorArea.choices, widget=forms.CheckboxSelectMultiple
    )
    format = forms.ChoiceField(label=pgettext_lazy("help", "Format"), choices=HelpFormat.choices)
    availability = forms.CharField(
        label=_("Availability"), max_length=200, help_text=_("e.g. two Saturday mornings a month.")
    )
    introduction = forms.CharField(
        label=_("What you can share"), widget=forms.Textarea(attrs={"rows": 4}), max_length=bounds.MAX_TEXT
    )


class MentorReviewForm(StyledForm):
    """The hub approves an offer to mentor, or says why not."""

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", pgettext_lazy("help request", "Decline"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MentorRequestForm(StyledForm):
    """What an organisation asks of a mentor."""

    message = forms.CharField(
        label=_("What you need"), widget=forms.Textarea(attrs={"rows": 4}), max_length=bounds.MAX_TEXT
    )
    format = forms.ChoiceField(label=pgettext_lazy("help", "Format"), choices=HelpFormat.choices)


class AnswerForm(StyledForm):
    """The mentor or the provider accepts or declines a request."""

    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept")), ("0", pgettext_lazy("help request", "Decline"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed when you decline."),
    )


def _past_day(value):
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class HoursForm(StyledForm):
    """A mentoring session held: when and how long."""

    given_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_past_day, bounds.DATE])
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("24")
    )
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=bounds.MAX_TEXT,
    )


class DeliveryForm(HoursForm):
    """An activity delivered: when, how long and for how many people."""

    people_served = forms.IntegerField(label=_("People served"), min_value=1, max_value=10_000)


class ActivityForm(StyledForm):
    """An activity an organisation can deliver for others."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=bounds.MAX_TEXT
    )
    capacity = forms.IntegerField(label=_("People per delivery"), min_value=1, max_value=10_000)
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=bounds.MAX_TEXT,
        help_text=_("e.g. travel costs, a room, notice."),
    )
    format = forms.ChoiceField(label=pgettext_lazy("help", "Format"), choices=HelpFormat.choices)


class ActivityRequestForm(StyledForm):
    """What an organisation asks of an activity's provider."""

    wanted_on = forms.DateField(label=_("Wanted around"), widget=DateInput(), validators=[bounds.DATE])
    message = forms.CharField(
        label=_("What you need"), widget=forms.Textarea(attrs={"rows": 4}), max_length=bounds.MAX_TEXT
    )

    def clean_wanted_on(self):
        day = self.cleaned_data["wanted_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return day


class YearForm(forms.Form):
    """``?year=`` on the ledger."""

    year = forms.IntegerField(required=False, validators=[bounds.YEAR])


class PairingForm(StyledForm):
    """The hub pairs a member (pioneer) with a prospect or new partner for a period."""

    pioneer = forms.ModelChoiceField(label=_("Pioneer"), queryset=Organisation.objects.partners())
    partner = forms.ModelChoiceField(
        label=_("Organisation accompanied"), queryset=Organisation.objects.none()
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), validators=[bounds.DATE])
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), validators=[bounds.DATE])
    goals = forms.CharField(
        label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), max_length=bounds.MAX_TEXT
    )

    def __init__(self, *args, **kwargs):
        from .models import Membership

        super().__init__(*args, **kwargs)
        self.fields["pioneer"].queryset = (
            Organisation.objects.partners()
            .filter(pk__in=Membership.objects.current().values("organisation"))
            .order_by("name")
        )
        # Prospects and applicants as well as partners: whoever wants to start 0-3 services.
        self.fields["partner"].queryset = Organisation.objects.partners().order_by("name")


class PairingOutcomeForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PairingOutcome.choices[1:])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
