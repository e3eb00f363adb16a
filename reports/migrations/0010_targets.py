"""Yearly targets per organisation (or centre) and indicator, and the indicators of seed 003's year in
numbers, asked from January 2027.

The indicator rows are a frozen copy of ``reports.defaults.YEAR_IN_NUMBERS_INDICATORS`` (a migration is
history); ``reports/tests/test_new_indicators.py`` checks that they load what the live loader loads.
Their first month is fixed, not "the month after this migration runs": the form of a month must be
the same on every database, whenever it was migrated. Earlier reports keep their own form.
"""

import datetime
from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import hubsite.core.validators

VALID_FROM = datetime.date(2027, 1, 1)
FIELDS = (
    "scope", "code", "label_zh", "label_en", "unit", "value_type", "min_value", "max_value", "required",
    "group_zh", "group_en", "help_zh", "help_en", "order", "over_months", "over_units",
)  # fmt: skip
# Each row: the FIELDS, then the code of the indicator it is a part of (``within``).
# fmt: off
INDICATORS = [
    ("centre", "classes_graduated", "早教班毕业", "Early-education classes graduated", "个", "integer", 0, 50, False, "服务", "Services", "本月完整结业的早教班（一期课程结束）", "Early-education classes whose full course ended this month", 125, "sum", "sum", None),
    ("centre", "new_volunteers", "新增志愿者", "New volunteers", "人", "integer", 0, 1000, False, "志愿者与培训", "Volunteers and training", "本月第一次参与志愿服务的人", "People who volunteered for the first time this month", 142, "sum", "sum", None),
    ("centre", "volunteers_from_users", "服务对象转为志愿者", "Service users who became volunteers", "人", "integer", 0, 1000, False, "志愿者与培训", "Volunteers and training", "新增志愿者中原为本园服务对象（家长、照养人）的人数", "Of the new volunteers, those who were the centre's own service users (parents, carers)", 144, "sum", "sum", "new_volunteers"),
    ("centre", "child_volunteers", "儿童志愿者（本年首次参与）", "Child volunteers (first time this year)", "人", "integer", 0, 1000, False, "志愿者与培训", "Volunteers and training", "本年度第一次参与志愿服务的儿童，一名儿童一年只计一次", "Children who volunteered for the first time this year; each child counts once a year", 146, "sum", "sum", None),
    ("centre", "volunteer_turnouts", "志愿服务人次", "Volunteer turnouts", "人次", "integer", 0, 20000, False, "志愿者与培训", "Volunteers and training", "志愿者每参与一次服务算一人次", "Each time a volunteer serves counts once", 148, "sum", "sum", None),
]
# fmt: on


def load_year_in_numbers(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    by_code = {}
    for *values, _within in INDICATORS:
        fields = dict(zip(FIELDS, values, strict=True))
        code = fields.pop("code")
        by_code[code], _created = Indicator.objects.update_or_create(
            code=code, defaults={**fields, "valid_from": VALID_FROM}
        )
    for row in INDICATORS:
        if row[-1]:
            Indicator.objects.filter(code=row[1]).update(within=by_code[row[-1]])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_bounds"),
        ("reports", "0009_validation_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Target",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[hubsite.core.validators.YearBounds()], verbose_name="year"
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=14,
                        validators=[
                            hubsite.core.validators.NumberBounds(Decimal("0"), Decimal("1000000000"))
                        ],
                        verbose_name="target",
                    ),
                ),
                (
                    "centre",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partners.centre",
                        verbose_name="centre",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="targets",
                        to="reports.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="targets",
                        to="partners.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
            ],
            options={
                "verbose_name": "target",
                "verbose_name_plural": "targets",
                "ordering": ["year", "organisation", "indicator__order", "centre"],
                "indexes": [models.Index(fields=["year", "indicator"], name="target_year_indicator")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "year", "indicator", "centre"),
                        name="one_target_per_org_year_indicator_centre",
                        nulls_distinct=False,
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("value__gte", 0)), name="target_value_not_negative"
                    ),
                ],
            },
        ),
        migrations.RunPython(load_year_in_numbers, migrations.RunPython.noop),
    ]
