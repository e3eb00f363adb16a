"""Validation rules as data and outliers (issue #13): the rules table, the reasons given for warnings
and the outlier flags kept with each report, and the default rules. The rows are a frozen copy of
``reports.validation.DEFAULT_RULES`` (a data migration does not import live code)."""

import datetime

from django.db import migrations, models

import hubsite.core.validators

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


def load_rules(apps, schema_editor):
    ValidationRule = apps.get_model("reports", "ValidationRule")
    for name, severity, left, op, right, message_zh, message_en in DEFAULT_RULES:
        ValidationRule.objects.update_or_create(
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


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_stock_indicators")]

    operations = [
        migrations.AddField(
            model_name="monthlyreport",
            name="warning_reasons",
            field=models.JSONField(blank=True, db_default=[], default=list, verbose_name="reasons for warnings"),
        ),
        migrations.AddField(
            model_name="monthlyreport",
            name="outlier_flags",
            field=models.JSONField(blank=True, db_default=[], default=list, verbose_name="outlier flags"),
        ),
        migrations.CreateModel(
            name="ValidationRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "left",
                    models.CharField(
                        help_text="For example child_visits", max_length=500, verbose_name="left side"
                    ),
                ),
                (
                    "operator",
                    models.CharField(
                        choices=[("<", "<"), ("<=", "≤"), ("==", "="), (">=", "≥"), (">", ">"), ("!=", "≠")],
                        max_length=2,
                        verbose_name="operator",
                    ),
                ),
                (
                    "right",
                    models.CharField(
                        help_text="For example (children_0_1 + children_1_2) * days_open",
                        max_length=500,
                        verbose_name="right side",
                    ),
                ),
                (
                    "severity",
                    models.CharField(
                        choices=[
                            ("error", "Error: blocks submitting"),
                            ("warning", "Warning: needs a reason to submit"),
                        ],
                        default="warning",
                        max_length=10,
                        verbose_name="severity",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("centre", "Per centre"), ("organisation", "Per organisation")],
                        default="centre",
                        max_length=20,
                        verbose_name="scope",
                    ),
                ),
                ("message_zh", models.CharField(max_length=300, verbose_name="Chinese message")),
                ("message_en", models.CharField(max_length=300, verbose_name="English message")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "valid_from",
                    models.DateField(
                        default=datetime.date(2018, 1, 1),
                        validators=[hubsite.core.validators.DateBounds()],
                        verbose_name="applies from month",
                    ),
                ),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        null=True,
                        validators=[hubsite.core.validators.DateBounds()],
                        verbose_name="applies until month",
                    ),
                ),
            ],
            options={
                "verbose_name": "validation rule",
                "verbose_name_plural": "validation rules",
                "ordering": ["scope", "name", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gte", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="rule_valid_until_after_from",
                    )
                ],
            },
        ),
        migrations.RunPython(load_rules, migrations.RunPython.noop),
    ]
