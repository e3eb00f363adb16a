import calendar
import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with its message in our catalogue: Django 5.2's new wording has no Chinese yet."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


# ---------------------------------------------------------------------------------------------
# Input bounds: the one place that says how far a date may lie and how big a number may be.
#
# Model fields carry these validators (admin and model forms check them); `BoundsMixin` copies them
# onto form fields and gives every other date, number and text field of a form a default bound, so a
# value a form accepted can be stored and computed with. The bounds are relative ("five years after
# today") but deconstruct to the same arguments every day, so migrations stay stable.

EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5
# Counts (families, children, visits, sites): far above anything one organisation reports.
MAX_COUNT = 1_000_000
# Money in yuan: an expansion budget, a study-visit cost, a yearly budget per member.
MAX_MONEY = Decimal("10000000")
MAX_HOURS = 10_000
MAX_PERCENT = 100
# A figure of a monthly report whose indicator sets no bounds (numbers up to this, either sign).
MAX_FIGURE = Decimal("1000000000")
# Integers that only identify or count versions: PostgreSQL's `integer`.
MAX_INTEGER = 2_147_483_647
# Free text (a textarea) without a limit of its own.
MAX_TEXT = 10_000


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February), clipped to the calendar's ends."""
    year = min(max(day.year + years, datetime.MINYEAR), datetime.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months (the last day of a shorter month), clipped to the calendar's ends.

    Dates stored before the bounds existed (through the shell or an old form) may be as far as
    9999-12-31: arithmetic on them must give an answer, not a ValueError.
    """
    index = day.year * 12 + day.month - 1 + months
    if index < datetime.MINYEAR * 12:
        return datetime.date.min
    if index > datetime.MAXYEAR * 12 + 11:
        return datetime.date.max
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift_days(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus ``days`` (negative: earlier), clipped to the calendar's ends instead of raising."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def _as_date(value):
    if isinstance(value, datetime.datetime):
        # The date as the person typed it (forms give the current time zone): no conversion that
        # could overflow at the calendar's ends.
        return value.date()
    return value


@deconstructible(path="hubsite.core.validators.DateBounds")
class DateBounds:
    """A date (or date and time) between ``earliest`` and ``years_ahead`` years after today.

    ``years_ahead=0`` means "not after today". Instances compare equal by their arguments, so a
    migration written today equals one written next year.
    """

    message = _("Enter a date between %(earliest)s and %(latest)s.")
    code = "date_out_of_bounds"

    def __init__(self, earliest: datetime.date = EARLIEST_DATE, years_ahead: int = YEARS_AHEAD):
        self.earliest = earliest
        self.years_ahead = years_ahead

    @property
    def latest(self) -> datetime.date:
        return years_after(timezone.localdate(), self.years_ahead)

    def __call__(self, value):
        day = _as_date(value)
        if day is None:
            return
        latest = self.latest
        if not self.earliest <= day <= latest:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"earliest": self.earliest.isoformat(), "latest": latest.isoformat()},
            )

    def __eq__(self, other):
        return (
            isinstance(other, DateBounds)
            and self.earliest == other.earliest
            and self.years_ahead == other.years_ahead
        )

    def __hash__(self):
        return hash((self.earliest, self.years_ahead))


@deconstructible(path="hubsite.core.validators.YearBounds")
class YearBounds:
    """A year number from ``earliest`` to ``years_ahead`` years after this year."""

    message = _("Enter a year between %(earliest)s and %(latest)s.")
    code = "year_out_of_bounds"

    def __init__(self, earliest: int = EARLIEST_DATE.year, years_ahead: int = YEARS_AHEAD):
        self.earliest = earliest
        self.years_ahead = years_ahead

    @property
    def latest(self) -> int:
        return timezone.localdate().year + self.years_ahead

    def __call__(self, value):
        if value is None:
            return
        latest = self.latest
        if not self.earliest <= value <= latest:
            raise ValidationError(
                self.message, code=self.code, params={"earliest": self.earliest, "latest": latest}
            )

    def __eq__(self, other):
        return (
            isinstance(other, YearBounds)
            and self.earliest == other.earliest
            and self.years_ahead == other.years_ahead
        )

    def __hash__(self):
        return hash((self.earliest, self.years_ahead))


@deconstructible(path="hubsite.core.validators.NumberBounds")
class NumberBounds:
    """A number from ``minimum`` to ``maximum`` (both included)."""

    message = _("Enter a number between %(minimum)s and %(maximum)s.")
    code = "number_out_of_bounds"

    def __init__(self, minimum=0, maximum=MAX_COUNT):
        self.minimum = minimum
        self.maximum = maximum

    def __call__(self, value):
        if value is None:
            return
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"minimum": f"{self.minimum:,}", "maximum": f"{self.maximum:,}"},
            )

    def __eq__(self, other):
        return (
            isinstance(other, NumberBounds)
            and self.minimum == other.minimum
            and self.maximum == other.maximum
        )

    def __hash__(self):
        return hash((self.minimum, self.maximum))


# The bounds fields use, by meaning. A field that means something else names its own.
DATE = DateBounds()
PAST_DATE = DateBounds(years_ahead=0)
# Awards were given before the network's years too; a few years of history are kept.
AWARD_YEAR = YearBounds(earliest=1990, years_ahead=1)
YEAR = YearBounds()
COUNT = NumberBounds(0, MAX_COUNT)
MONEY = NumberBounds(Decimal("0"), MAX_MONEY)
HOURS = NumberBounds(0, MAX_HOURS)
PERCENT = NumberBounds(0, MAX_PERCENT)
FIGURE = NumberBounds(-MAX_FIGURE, MAX_FIGURE)
INTEGER = NumberBounds(0, MAX_INTEGER)
# Reports are for past months (and the current one): nothing before the network, at most a year ahead.
REPORT_MONTH = DateBounds(years_ahead=1)
POPULATION = NumberBounds(0, 100_000_000)
SITES = NumberBounds(0, 1_000)
CAPACITY = NumberBounds(0, 10_000)
ORDER = NumberBounds(0, 10_000)
CRITERIA_COUNT = NumberBounds(0, 5)
PROJECT_MONTHS = NumberBounds(1, 120)
# The meeting planner starts with the cadence (2022) and plans a few years ahead at most.
PLAN_YEAR = YearBounds(earliest=2022, years_ahead=YEARS_AHEAD)


def _has(validators, kind) -> bool:
    return any(isinstance(v, kind) for v in validators)


class BoundsMixin:
    """Every form's date, number and text fields get bounds (first in the MRO of the form's mixins).

    A model form's fields take their model field's bounds (Django validates those only after
    ``clean()``, too late for code in ``clean`` that computes with the value); fields without any get
    the defaults above. Date inputs get ``min``/``max`` so the browser's picker agrees.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    model_field = None
            own = [
                v
                for v in getattr(model_field, "_validators", [])
                if isinstance(v, DateBounds | YearBounds | NumberBounds)
            ]
            for validator in own:
                if validator not in field.validators:
                    field.validators.append(validator)
            bound_field(field)


def bound_field(field):
    """Give one form field the default bounds of its kind unless it has its own."""
    validators = field.validators
    if isinstance(field, forms.DateField | forms.DateTimeField):
        if not _has(validators, DateBounds):
            validators.append(DATE)
        bounds = next(v for v in validators if isinstance(v, DateBounds))
        kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", "")
        if kind == "date":
            field.widget.attrs.setdefault("min", bounds.earliest.isoformat())
            field.widget.attrs.setdefault("max", bounds.latest.isoformat())
        elif kind == "datetime-local":
            field.widget.attrs.setdefault("min", f"{bounds.earliest.isoformat()}T00:00")
            field.widget.attrs.setdefault("max", f"{bounds.latest.isoformat()}T23:59")
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if not _has(validators, NumberBounds | YearBounds) and field.max_value is None:
            low = -MAX_INTEGER if field.min_value is None else field.min_value
            validators.append(NumberBounds(low, MAX_INTEGER))
    elif isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = MAX_TEXT
        validators.append(MaxLengthValidator(MAX_TEXT))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))


class MonthField(forms.Field):
    """A month typed as YYYY-MM (what ``<input type=month>`` sends), cleaned to its first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def __init__(self, *, bounds: DateBounds = DATE, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "2025-01"}))
        super().__init__(**kwargs)
        self.validators.append(bounds)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        year, dash, month = str(value).strip().partition("-")
        digits = year.isascii() and year.isdigit() and month.isascii() and month.isdigit()
        if not (dash and digits and len(year) == 4 and len(month) <= 2):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), 1)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value
