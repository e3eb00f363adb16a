"""The default indicator set as it was first seeded.

The rows are copied here, not imported from ``reports.defaults``: a migration is history, and a later
edit of the live defaults must not change what this one loads on a fresh database.
"""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2018, 1, 1)
FIELDS = (
    "scope", "code", "label_zh", "label_en", "unit", "value_type", "min_value", "max_value", "required",
    "order", "group_zh", "group_en", "help_zh", "help_en",
)  # fmt: skip
# Each row: the FIELDS, then the code of the indicator it is a part of (``within``).
# fmt: off
INDICATORS = [
    ("centre", "days_open", "开放天数", "Days open", "天", "integer", 0, 31, True, 10, "运营", "Operations", "本月亲子园对外开放的天数", "Days the centre was open this month", None),
    ("centre", "classes", "亲子课", "Parent-child classes held", "次", "integer", 0, 300, True, 20, "服务", "Services", "", "", None),
    ("centre", "activities", "亲子活动", "Parent-child activities", "次", "integer", 0, 300, True, 30, "服务", "Services", "", "", None),
    ("centre", "child_visits", "儿童服务人次", "Child visits", "人次", "integer", 0, 20000, True, 40, "儿童与家庭", "Children and families", "每来一次算一人次", "Each visit of a child counts once", None),
    ("centre", "families_served", "服务家庭数（去重）", "Distinct families served", "户", "integer", 0, 5000, True, 50, "儿童与家庭", "Children and families", "本月至少来过一次的家庭", "Families that came at least once this month", None),
    ("centre", "new_families", "新登记家庭数", "New families registered", "户", "integer", 0, 2000, False, 60, "儿童与家庭", "Children and families", "", "", None),
    ("centre", "children_0_1", "在册儿童（0-1岁）", "Registered children aged 0-1", "人", "integer", 0, 2000, False, 70, "儿童与家庭", "Children and families", "本月来过的在册儿童", "Registered children who came this month", "child_visits"),
    ("centre", "children_1_2", "在册儿童（1-2岁）", "Registered children aged 1-2", "人", "integer", 0, 2000, False, 80, "儿童与家庭", "Children and families", "本月来过的在册儿童", "Registered children who came this month", "child_visits"),
    ("centre", "children_2_3", "在册儿童（2-3岁）", "Registered children aged 2-3", "人", "integer", 0, 2000, False, 90, "儿童与家庭", "Children and families", "本月来过的在册儿童", "Registered children who came this month", "child_visits"),
    ("centre", "parenting_sessions", "家长课堂", "Parenting sessions", "次", "integer", 0, 200, False, 100, "服务", "Services", "", "", None),
    ("centre", "reading_activities", "早期阅读活动", "Early-reading activities", "次", "integer", 0, 200, False, 110, "服务", "Services", "", "", None),
    ("centre", "book_loans", "图书借阅", "Book loans", "册次", "integer", 0, 20000, False, 120, "服务", "Services", "", "", None),
    ("centre", "home_visits", "家访", "Home visits", "次", "integer", 0, 500, False, 130, "服务", "Services", "", "", None),
    ("centre", "volunteers", "志愿者人数", "Volunteers", "人", "integer", 0, 1000, False, 140, "志愿者与培训", "Volunteers and training", "", "", None),
    ("centre", "volunteer_hours", "志愿服务时长", "Volunteer hours", "小时", "decimal", 0, 20000, False, 150, "志愿者与培训", "Volunteers and training", "", "", None),
    ("centre", "training_hours", "员工培训时长", "Staff training hours", "小时", "decimal", 0, 2000, False, 160, "志愿者与培训", "Volunteers and training", "", "", None),
    ("organisation", "highlights", "本月亮点", "Highlights", "", "long_text", None, None, True, 170, "情况说明", "Notes", "本月值得分享的事情", "What went well this month", None),
    ("organisation", "difficulties", "困难与需求", "Difficulties and needs", "", "long_text", None, None, False, 180, "情况说明", "Notes", "", "", None),
    ("organisation", "support_wanted", "希望枢纽提供的支持", "Support wanted from the hub", "", "long_text", None, None, False, 190, "情况说明", "Notes", "", "", None),
]
# fmt: on


def load(apps, schema_editor):
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
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
