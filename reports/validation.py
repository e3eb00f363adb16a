"""Validation rules as data (DHIS2's validation rules): ``left <operator> right`` over the figures of
one centre-month (or organisation-month).

An expression is numbers, indicator codes, ``+ - * /`` and parentheses. It is parsed with ``ast``
and kept only if every node is in a short whitelist; it is never ``eval``-ed. The parsed form is a
small tree of lists (``["+", a, b]``, ``["code", "child_visits"]``, ``["num", "31"]``) that Python
evaluates here and the browser evaluates in ``reports/static/reports/rules.js``: one definition, two
places, the same answer.

A rule whose sides name a figure that was left empty is skipped (DHIS2's "skip if any value is
missing"), and so is a division by zero: a rule says something only about figures that were given.
"""

from __future__ import annotations

import ast
import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 500
MAX_NODES = 60

OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
    "!=": operator.ne,
}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class ExpressionError(ValueError):
    """An expression that is not in the rule language (the message says why, translated)."""


def parse(text: str):
    """The tree of an expression, or ExpressionError. Only numbers, codes, + - * / and parentheses."""
    text = (text or "").strip()
    if not text:
        raise ExpressionError(_("Enter an expression."))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("The expression is too long."))
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError) as error:  # ValueError: a NUL byte
        raise ExpressionError(_("This is not a valid expression.")) from error
    count = sum(1 for _node in ast.walk(node))
    if count > MAX_NODES:
        raise ExpressionError(_("The expression is too long."))
    return _tree(node)


def _tree(node):
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        return [_ARITHMETIC[type(node.op)], _tree(node.left), _tree(node.right)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return ["-", ["num", "0"], _tree(node.operand)]
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return ["num", str(node.value)]
    if isinstance(node, ast.Name):
        return ["code", node.id]
    raise ExpressionError(_("Use only figures' codes, numbers, + - * / and parentheses."))


def codes(tree) -> set[str]:
    """The indicator codes an expression reads."""
    if tree[0] == "code":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    return codes(tree[1]) | codes(tree[2])


def evaluate(tree, values: dict) -> Decimal | None:
    """The value of an expression over ``values`` (code -> number); None when a figure is missing
    or a divisor is zero."""
    kind = tree[0]
    if kind == "num":
        return Decimal(tree[1])
    if kind == "code":
        value = values.get(tree[1])
        return None if value is None else Decimal(value)
    left, right = evaluate(tree[1], values), evaluate(tree[2], values)
    if left is None or right is None:
        return None
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if right == 0:
        return None
    try:
        return left / right
    except InvalidOperation:
        return None


# ---------------------------------------------------------------------------------------------
# Rules over figures


@dataclass(frozen=True)
class Violation:
    """A rule a unit's figures break: ``unit`` is the centre's id, or None for the organisation."""

    rule: object  # reports.models.ValidationRule
    unit: int | None
    left: Decimal
    right: Decimal

    @property
    def key(self) -> str:
        """Names the rule and the unit: an acknowledgement's reason is kept under it."""
        return ack_key(self.rule.pk, self.unit)

    @property
    def is_error(self) -> bool:
        return self.rule.is_error

    @property
    def message(self) -> str:
        return self.rule.message

    def figures(self) -> str:
        """Both sides as typed, so a person sees what broke the rule (e.g. "66 > 54")."""
        return f"{_number(self.left)} {self.rule.operator_symbol} {_number(self.right)}"


def ack_key(rule_id: int, unit: int | None) -> str:
    return f"{rule_id}-{unit or 'org'}"


def _number(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01")).normalize()
    return f"{value:f}"


def check(rules, values: dict, unit: int | None) -> list[Violation]:
    """The rules that ``values`` (code -> number) of one unit break; skipped rules are not listed."""
    broken = []
    for rule in rules:
        left, right = evaluate(rule.left_tree, values), evaluate(rule.right_tree, values)
        if left is None or right is None:
            continue
        if not OPERATORS[rule.operator](left, right):
            broken.append(Violation(rule, unit, left, right))
    return broken


def check_units(rules, values_by_unit: dict) -> list[Violation]:
    """Every violation of a report's units; ``values_by_unit``: centre id or None -> {code: number}.
    Centre rules run on each centre, organisation rules on the organisation's figures."""
    from .choices import Scope

    broken = []
    for unit, values in values_by_unit.items():
        scope = Scope.ORGANISATION if unit is None else Scope.CENTRE
        broken += check([r for r in rules if r.scope == scope], values, unit)
    return broken


def stored_figures(report, indicators) -> dict:
    """A report's stored numbers by unit: centre id or None -> {code: number}."""
    by_pk = {i.pk: i for i in indicators if i.is_numeric}
    figures: dict = defaultdict(dict)
    for value in report.values.all():
        indicator = by_pk.get(value.indicator_id)
        if indicator is not None and value.number is not None:
            figures[value.centre_id][indicator.code] = value.number
    return figures


def report_violations(report, indicators=None) -> list[Violation]:
    """The rules of the report's month that its stored figures break (3 queries)."""
    from .models import ValidationRule

    indicators = list(report.indicators()) if indicators is None else indicators
    figures = stored_figures(report, indicators)
    for centre in report.centres():
        figures.setdefault(centre.pk, {})
    return check_units(list(ValidationRule.objects.in_force(report.month)), figures)


def submission_problems(report) -> list[str]:
    """Why the report cannot be handed in as it is: each broken error rule, and each warning without
    a reason kept with the report (the reasons are given in the form's "check and submit")."""
    names = dict(report.centres().values_list("pk", "name"))
    reasons = {entry.get("key") for entry in report.warning_reasons if entry.get("reason")}
    problems = []
    for violation in report_violations(report):
        where = names.get(violation.unit, "") if violation.unit else ""
        prefix = f"{where}: " if where else ""
        if violation.is_error:
            problems.append(f"{prefix}{violation.message} ({violation.figures()})")
        elif violation.key not in reasons:
            problems.append(
                str(
                    _("%(where)s%(message)s (%(figures)s): give the reason in the form's “Check and submit”.")
                )
                % {"where": prefix, "message": violation.message, "figures": violation.figures()}
            )
    return problems


# ---------------------------------------------------------------------------------------------
# The network-wide run over past data


@dataclass(slots=True)
class PastViolation:
    """One broken rule in a handed-in report: which report, unit and rule, and the two sides."""

    report_id: int
    organisation_id: int
    month: datetime.date
    centre_id: int | None
    rule: object
    left: Decimal
    right: Decimal

    def figures(self) -> str:
        return f"{_number(self.left)} {self.rule.operator_symbol} {_number(self.right)}"


def network_run(
    rules,
    *,
    first: datetime.date,
    last: datetime.date,
    organisation_ids=None,
    statuses=None,
) -> list[PastViolation]:
    """Every violation of ``rules`` in the reports of ``first``..``last`` (months), newest first.

    One query: PostgreSQL pivots the figures the rules read into one row per report and unit
    (``MAX(number) FILTER (WHERE indicator = ...)``), computes both sides of every rule over those
    columns from the same parsed trees as the form (``_sql_expression``: a missing figure or a
    division by zero is NULL and skips the rule, as in Python), and returns only the units that
    break one (HAVING), with both sides.
    """
    from django.db.models import Max, Q

    from .choices import COUNTED_STATUSES, Scope
    from .models import ReportValue

    rules = [rule for rule in rules if rule.active]
    needed = set()
    for rule in rules:
        needed |= rule.codes()
    if not rules or not needed:
        return []
    columns = {code: f"figure_{n}" for n, code in enumerate(sorted(needed))}
    values = ReportValue.objects.filter(
        month__gte=first,
        month__lte=last,
        indicator__code__in=needed,
        number__isnull=False,
        report__status__in=COUNTED_STATUSES if statuses is None else statuses,
    )
    if organisation_ids is not None:
        values = values.filter(report__organisation_id__in=organisation_ids)
    units = values.values("report_id", "centre_id", "month", "report__organisation_id").annotate(
        **{column: Max("number", filter=Q(indicator__code=code)) for code, column in columns.items()}
    )
    broken = Q()
    for n, rule in enumerate(rules):
        units = units.annotate(
            **{
                f"left_{n}": _sql_expression(rule.left_tree, columns),
                f"right_{n}": _sql_expression(rule.right_tree, columns),
            }
        )
        in_force = Q(month__gte=rule.valid_from, centre_id__isnull=rule.scope == Scope.ORGANISATION)
        if rule.valid_until:
            in_force &= Q(month__lte=rule.valid_until)
        broken |= in_force & _sql_breaks(rule.operator, f"left_{n}", f"right_{n}")
    sides = [name for n in range(len(rules)) for name in (f"left_{n}", f"right_{n}")]
    rows = units.filter(broken).values_list(
        "report_id", "report__organisation_id", "month", "centre_id", *sides
    )
    # Which rules a returned unit breaks: its two sides as PostgreSQL computed them, compared here
    # with the operator (the same comparison as the form's, without evaluating the trees again).
    found = []
    for report_id, org_id, month, centre_id, *both in rows.order_by():
        scope = Scope.ORGANISATION if centre_id is None else Scope.CENTRE
        for n, rule in enumerate(rules):
            left, right = both[2 * n], both[2 * n + 1]
            if left is None or right is None or rule.scope != scope or not rule.applies_to(month):
                continue
            if not OPERATORS[rule.operator](left, right):
                found.append(PastViolation(report_id, org_id, month, centre_id, rule, left, right))
    found.sort(key=lambda v: (v.month, v.report_id, v.centre_id or 0, v.rule.pk), reverse=True)
    return found


def _sql_expression(tree, columns: dict):
    """A parsed expression as a Django expression over the pivoted columns; a division by zero is
    NULL (NULLIF), as a missing figure is, so SQL skips what Python skips."""
    from django.db.models import DecimalField, F, Value
    from django.db.models.functions import NullIf

    kind = tree[0]
    if kind == "num":
        return Value(Decimal(tree[1]), output_field=DecimalField())
    if kind == "code":
        return F(columns[tree[1]])
    left, right = _sql_expression(tree[1], columns), _sql_expression(tree[2], columns)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return left / NullIf(right, Value(Decimal(0), output_field=DecimalField()))


# The lookup that says a rule is broken: its operator's negation (NULL sides match none of them).
_BROKEN_LOOKUPS = {"<": "gte", "<=": "gt", ">=": "lt", ">": "lte", "!=": "exact"}


def _sql_breaks(op: str, left: str, right: str):
    from django.db.models import F, Q

    if op == "==":
        return Q(**{f"{left}__lt": F(right)}) | Q(**{f"{left}__gt": F(right)})
    return Q(**{f"{left}__{_BROKEN_LOOKUPS[op]}": F(right)})


# ---------------------------------------------------------------------------------------------
# The default rules (migration 0009 loaded a frozen copy; tests that flush the database load these)

# name, severity, left, operator, right, message zh, message en
DEFAULT_RULES = [
    (
        "families_within_visits",
        "error",
        "families_served",
        "<=",
        "child_visits",
        "每个来过的家庭至少带孩子来过一次，所以服务家庭数（去重）不能多于儿童服务人次。",
        "Every family that came brought a child at least once, so the distinct families served cannot "
        "exceed the child visits.",
    ),
    (
        "new_families_within_families",
        "error",
        "new_families",
        "<=",
        "families_served",
        "本月新登记的家庭本月也来过，所以新登记家庭数不能多于服务家庭数（去重）。",
        "A family registered this month came this month, so the new families cannot exceed the "
        "distinct families served.",
    ),
    (
        "children_against_families",
        "warning",
        "children_0_1 + children_1_2 + children_2_3",
        ">=",
        "families_served / 2",
        "每个来园家庭至少带一个孩子：来过的在册儿童（各年龄段合计）不应少于服务家庭数的一半"
        "（已为尚未登记的儿童留出余地）。差距这么大，通常是儿童数或家庭数填错了，请核对。",
        "Every family that comes brings at least one child: the registered children who came (all age "
        "bands) should not be fewer than half the distinct families served (leaving room for children "
        "not registered yet). A gap this large usually means one of the two figures is wrong.",
    ),
    (
        "visits_per_child_and_day",
        "warning",
        "child_visits",
        "<=",
        "(children_0_1 + children_1_2 + children_2_3) * days_open",
        "一个孩子一天最多来一次：儿童服务人次一般不超过来过的在册儿童数乘以开放天数。"
        "若有未登记的儿童来园，请说明。",
        "A child comes at most once a day: the child visits should not exceed the registered children "
        "who came times the days open. If children not registered yet came, say so.",
    ),
]


def load_default_rules(rule_model) -> None:
    """Idempotent (keyed on the name); takes the model so a migration can pass its historical one."""
    for name, severity, left, op, right, message_zh, message_en in DEFAULT_RULES:
        rule_model.objects.update_or_create(
            name=name,
            defaults={
                "severity": severity,
                "left": left,
                "operator": op,
                "right": right,
                "scope": "centre",
                "message_zh": message_zh,
                "message_en": message_en,
                "valid_from": datetime.date(2018, 1, 1),
            },
        )
