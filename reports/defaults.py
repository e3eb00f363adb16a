"""The default indicator set, for the demo and tests that flush the database. Migration 0002 seeded a
frozen copy of it; ``tests/test_data_migrations.py`` checks they agree. The indicators asked from 2027
on (``YEAR_IN_NUMBERS_INDICATORS``) came with migration 0010; ``reports/tests/test_new_indicators.py``
checks that one."""

import datetime

# code, Chinese label, English label, unit, type, min, max, required, group (zh, en), help (zh, en)
CENTRE = "centre"
ORG = "organisation"
OPS = ("运营", "Operations")
SERVICES = ("服务", "Services")
CHILDREN = ("儿童与家庭", "Children and families")
COMMUNITY = ("志愿者与培训", "Volunteers and training")
NOTES = ("情况说明", "Notes")

DEFAULT_INDICATORS = [
    # scope, code, zh, en, unit, type, min, max, required, group, help zh, help en, within
    (
        CENTRE,
        "days_open",
        "开放天数",
        "Days open",
        "天",
        "integer",
        0,
        31,
        True,
        OPS,
        "本月亲子园对外开放的天数",
        "Days the centre was open this month",
        None,
    ),
    (
        CENTRE,
        "classes",
        "亲子课",
        "Parent-child classes held",
        "次",
        "integer",
        0,
        300,
        True,
        SERVICES,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "activities",
        "亲子活动",
        "Parent-child activities",
        "次",
        "integer",
        0,
        300,
        True,
        SERVICES,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "child_visits",
        "儿童服务人次",
        "Child visits",
        "人次",
        "integer",
        0,
        20000,
        True,
        CHILDREN,
        "每来一次算一人次",
        "Each visit of a child counts once",
        None,
    ),
    (
        CENTRE,
        "families_served",
        "服务家庭数（去重）",
        "Distinct families served",
        "户",
        "integer",
        0,
        5000,
        True,
        CHILDREN,
        "本月至少来过一次的家庭",
        "Families that came at least once this month",
        None,
    ),
    (
        CENTRE,
        "new_families",
        "新登记家庭数",
        "New families registered",
        "户",
        "integer",
        0,
        2000,
        False,
        CHILDREN,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "children_0_1",
        "在册儿童（0-1岁）",
        "Registered children aged 0-1",
        "人",
        "integer",
        0,
        2000,
        False,
        CHILDREN,
        "本月来过的在册儿童",
        "Registered children who came this month",
        "child_visits",
    ),
    (
        CENTRE,
        "children_1_2",
        "在册儿童（1-2岁）",
        "Registered children aged 1-2",
        "人",
        "integer",
        0,
        2000,
        False,
        CHILDREN,
        "本月来过的在册儿童",
        "Registered children who came this month",
        "child_visits",
    ),
    (
        CENTRE,
        "children_2_3",
        "在册儿童（2-3岁）",
        "Registered children aged 2-3",
        "人",
        "integer",
        0,
        2000,
        False,
        CHILDREN,
        "本月来过的在册儿童",
        "Registered children who came this month",
        "child_visits",
    ),
    (
        CENTRE,
        "parenting_sessions",
        "家长课堂",
        "Parenting sessions",
        "次",
        "integer",
        0,
        200,
        False,
        SERVICES,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "reading_activities",
        "早期阅读活动",
        "Early-reading activities",
        "次",
        "integer",
        0,
        200,
        False,
        SERVICES,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "book_loans",
        "图书借阅",
        "Book loans",
        "册次",
        "integer",
        0,
        20000,
        False,
        SERVICES,
        "",
        "",
        None,
    ),
    (CENTRE, "home_visits", "家访", "Home visits", "次", "integer", 0, 500, False, SERVICES, "", "", None),
    (
        CENTRE,
        "volunteers",
        "志愿者人数",
        "Volunteers",
        "人",
        "integer",
        0,
        1000,
        False,
        COMMUNITY,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "volunteer_hours",
        "志愿服务时长",
        "Volunteer hours",
        "小时",
        "decimal",
        0,
        20000,
        False,
        COMMUNITY,
        "",
        "",
        None,
    ),
    (
        CENTRE,
        "training_hours",
        "员工培训时长",
        "Staff training hours",
        "小时",
        "decimal",
        0,
        2000,
        False,
        COMMUNITY,
        "",
        "",
        None,
    ),
    (
        ORG,
        "highlights",
        "本月亮点",
        "Highlights",
        "",
        "long_text",
        None,
        None,
        True,
        NOTES,
        "本月值得分享的事情",
        "What went well this month",
        None,
    ),
    (
        ORG,
        "difficulties",
        "困难与需求",
        "Difficulties and needs",
        "",
        "long_text",
        None,
        None,
        False,
        NOTES,
        "",
        "",
        None,
    ),
    (
        ORG,
        "support_wanted",
        "希望枢纽提供的支持",
        "Support wanted from the hub",
        "",
        "long_text",
        None,
        None,
        False,
        NOTES,
        "",
        "",
        None,
    ),
]


# How the stocks add up (every other default indicator is a flow: summed over months and centres).
# Migration 0008 set these on existing databases. code: (over months, over centres)
ROLLUPS = {
    "families_served": ("average", "sum"),
    "children_0_1": ("average", "sum"),
    "children_1_2": ("average", "sum"),
    "children_2_3": ("average", "sum"),
    "volunteers": ("average", "sum"),
}


# Seed 003's year in numbers (a partner's annual report counts new volunteers, service users who
# became volunteers, child volunteers, volunteer turnouts and early-education classes graduated).
# Reports ask for them from a fixed month, not "the month after the migration ran": a migration runs
# on different days on different databases, and the form of a month must be the same everywhere.
# January 2027 is the first month after this change was written (December 2026) and starts a year,
# so a year's totals never mix months with and without these figures.
YEAR_IN_NUMBERS_FROM = datetime.date(2027, 1, 1)
# scope, code, zh, en, unit, type, min, max, required, group, help zh, help en, within, order,
# over months, over centres. All flows: each counts a person or a class once, in the month it
# happened, so the year's total is the number of people (or classes) in the year.
YEAR_IN_NUMBERS_INDICATORS = [
    (
        CENTRE,
        "classes_graduated",
        "早教班毕业",
        "Early-education classes graduated",
        "个",
        "integer",
        0,
        50,
        False,
        SERVICES,
        "本月完整结业的早教班（一期课程结束）",
        "Early-education classes whose full course ended this month",
        None,
        125,
        "sum",
        "sum",
    ),
    (
        CENTRE,
        "new_volunteers",
        "新增志愿者",
        "New volunteers",
        "人",
        "integer",
        0,
        1000,
        False,
        COMMUNITY,
        "本月第一次参与志愿服务的人",
        "People who volunteered for the first time this month",
        None,
        142,
        "sum",
        "sum",
    ),
    (
        CENTRE,
        "volunteers_from_users",
        "服务对象转为志愿者",
        "Service users who became volunteers",
        "人",
        "integer",
        0,
        1000,
        False,
        COMMUNITY,
        "新增志愿者中原为本园服务对象（家长、照养人）的人数",
        "Of the new volunteers, those who were the centre's own service users (parents, carers)",
        "new_volunteers",
        144,
        "sum",
        "sum",
    ),
    (
        CENTRE,
        "child_volunteers",
        "儿童志愿者（本年首次参与）",
        "Child volunteers (first time this year)",
        "人",
        "integer",
        0,
        1000,
        False,
        COMMUNITY,
        "本年度第一次参与志愿服务的儿童，一名儿童一年只计一次",
        "Children who volunteered for the first time this year; each child counts once a year",
        None,
        146,
        "sum",
        "sum",
    ),
    (
        CENTRE,
        "volunteer_turnouts",
        "志愿服务人次",
        "Volunteer turnouts",
        "人次",
        "integer",
        0,
        20000,
        False,
        COMMUNITY,
        "志愿者每参与一次服务算一人次",
        "Each time a volunteer serves counts once",
        None,
        148,
        "sum",
        "sum",
    ),
]


def load_default_indicators(indicator_model) -> None:
    """Idempotent; takes the model so a migration can pass its historical one."""
    by_code = {}
    for order, row in enumerate(DEFAULT_INDICATORS, start=1):
        scope, code, zh, en, unit, kind, low, high, required, group, help_zh, help_en, _within = row
        over_months, over_units = ROLLUPS.get(code, ("sum", "sum"))
        by_code[code], _ = indicator_model.objects.update_or_create(
            code=code,
            defaults={
                "scope": scope,
                "label_zh": zh,
                "label_en": en,
                "unit": unit,
                "value_type": kind,
                "min_value": low,
                "max_value": high,
                "required": required,
                "order": order * 10,
                "group_zh": group[0],
                "group_en": group[1],
                "help_zh": help_zh,
                "help_en": help_en,
                "valid_from": datetime.date(2018, 1, 1),
                "over_months": over_months,
                "over_units": over_units,
            },
        )
    for row in DEFAULT_INDICATORS:
        if row[-1]:
            indicator_model.objects.filter(code=row[1]).update(within=by_code[row[-1]])


def load_year_in_numbers_indicators(indicator_model) -> None:
    """The indicators of seed 003's year in numbers, asked from ``YEAR_IN_NUMBERS_FROM`` on (migration
    0010 loads a frozen copy). Idempotent; after ``load_default_indicators`` (one is a part of another)."""
    by_code = {}
    for row in YEAR_IN_NUMBERS_INDICATORS:
        scope, code, zh, en, unit, kind, low, high, required, group, help_zh, help_en = row[:12]
        _within, order, over_months, over_units = row[12:]
        by_code[code], _ = indicator_model.objects.update_or_create(
            code=code,
            defaults={
                "scope": scope,
                "label_zh": zh,
                "label_en": en,
                "unit": unit,
                "value_type": kind,
                "min_value": low,
                "max_value": high,
                "required": required,
                "order": order,
                "group_zh": group[0],
                "group_en": group[1],
                "help_zh": help_zh,
                "help_en": help_en,
                "valid_from": YEAR_IN_NUMBERS_FROM,
                "over_months": over_months,
                "over_units": over_units,
            },
        )
    for row in YEAR_IN_NUMBERS_INDICATORS:
        if row[12]:
            indicator_model.objects.filter(code=row[1]).update(within=by_code[row[12]])


def load_all_default_indicators(indicator_model) -> None:
    """Every default indicator, as the migrations leave a fresh database."""
    load_default_indicators(indicator_model)
    load_year_in_numbers_indicators(indicator_model)
