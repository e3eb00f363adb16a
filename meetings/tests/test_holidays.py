"""The State Council's holiday notice, pasted by hub staff: parsed, previewed, saved, planned with."""

import datetime

import chinese_calendar
import pytest
from django.urls import reverse

from meetings import planner
from meetings.choices import DayKind
from meetings.holidays import parse_notice
from meetings.models import HolidayOverride

from .notices import NOTICE_2025, NOTICE_2026

pytestmark = pytest.mark.django_db

# Not the real 2027 notice (it is what the hub will paste): a notice of the same shape whose
# weekdays are right for 2027, so the planner can be shown to use it.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def every_day(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(("year", "text"), [(2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_the_published_notices_give_the_holiday_packages_days_for_every_day_of_the_year(year, text):
    notice = parse_notice(text)
    holidays = {day.date for day in notice.holidays}
    workdays = {day.date for day in notice.workdays}
    assert notice.year == year
    for day in every_day(year):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        assert (day in holidays) == (on_holiday and day.weekday() < 5 or day in chinese_calendar.holidays), (
            day
        )
        assert (day in workdays) == (day in chinese_calendar.workdays), day


def test_each_day_carries_its_festivals_name():
    names = {day.date: day.name for day in parse_notice(NOTICE_2026).days}
    assert names[datetime.date(2026, 2, 15)] == "春节"
    assert names[datetime.date(2026, 2, 28)] == "春节"  # the make-up working day of the Spring Festival
    assert names[datetime.date(2026, 9, 20)] == "国庆节"
    assert {day.name for day in parse_notice(NOTICE_2025).days if day.date.month == 10} == {"国庆节、中秋节"}


def test_an_item_split_across_lines_and_a_pasted_web_page_read_the_same():
    wrapped = NOTICE_2026.replace("至23日", "至23日\n").replace("共9天。", "共9天。\n")
    web_page = (
        "首页 > 政策 > 最新\n中国政府网 2025-11-04 来源：国务院办公厅\n字号：默认 大 超大 | 打印\n"
        + NOTICE_2026
        + "\n相关稿件\n【我要纠错】 责任编辑：王洋\n扫一扫在手机打开当前页\n"
    )
    expected = parse_notice(NOTICE_2026).days
    assert parse_notice(wrapped).days == expected
    assert parse_notice(web_page).days == expected


@pytest.mark.parametrize(
    ("broken", "item", "reason"),
    [
        ("4月4日（周六）至6日（周一）放假", "4月4日（周六）6日（周一）放假", "“至”"),
        ("三、清明节：", "三、清明节:", "："),
        ("1月4日（周日）上班", "1月4日（周一）上班", "2026-01-04"),
        ("10月1日（周四）至7日（周三）", "10月1日（周四）至9月7日（周一）", "早于"),
    ],
)
def test_an_unreadable_item_is_named_with_the_reason(broken, item, reason):
    text = NOTICE_2026.replace(broken, item)
    with pytest.raises(Exception) as raised:
        parse_notice(text)
    [message] = raised.value.messages
    assert reason in message


def test_a_missing_to_names_the_qingming_item():
    with pytest.raises(Exception) as raised:
        parse_notice(NOTICE_2026.replace("4月4日（周六）至6日（周一）", "4月4日（周六）6日（周一）"))
    [message] = raised.value.messages
    assert message == "第三条（清明节）无法读取：两个日期之间缺少“至”。"


def test_a_missing_to_before_a_single_day_is_caught_by_the_day_count():
    with pytest.raises(Exception) as raised:
        parse_notice(NOTICE_2026.replace("4月4日（周六）至6日（周一）放假", "4月4日（周六）放假"))
    [message] = raised.value.messages
    assert message == "第三条（清明节）无法读取：写明共 3 天，但日期只有 1 天（是否缺少“至”？）。"


def test_a_notice_pasted_under_the_wrong_year_is_refused_by_its_weekdays():
    text = NOTICE_2026.replace("关于2026年", "关于").replace("现将2026年", "现将")
    with pytest.raises(Exception) as raised:
        parse_notice(text, year=2027)
    assert len(raised.value.messages) == 7  # every item names a weekday that is wrong in 2027


def test_a_notice_without_its_year_needs_the_year():
    items = NOTICE_2026[NOTICE_2026.index("一、") : NOTICE_2026.index("节假日期间")]
    with pytest.raises(Exception) as raised:
        parse_notice(items)
    assert raised.value.code == "year"
    assert len(parse_notice(items, year=2026).days) == 39


def preview(client, text, **extra):
    return client.post(reverse("meetings:holiday_notice"), {"text": text, "preview": "", **extra})


def test_the_preview_lists_the_days_and_saves_nothing(hub_staff, client_for):
    response = preview(client_for(hub_staff), NOTICE_2026)
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('id="notice-days"') :]
    assert "2026-02-15" in table and "春节" in table and "放假" in table
    assert "2026-10-10" in table and "上班" in table
    assert 'name="save"' in page
    assert not HolidayOverride.objects.exists()


def test_saving_the_notice_stores_its_days_and_saving_it_again_changes_nothing(hub_staff, client_for):
    client = client_for(hub_staff)
    response = client.post(reverse("meetings:holiday_notice"), {"text": NOTICE_2026, "save": ""})
    assert response.status_code == 302
    assert response.url == reverse("meetings:holidays") + "?year=2026"
    assert HolidayOverride.objects.count() == 39
    assert HolidayOverride.objects.get(date=datetime.date(2026, 9, 20)).kind == DayKind.WORKDAY
    assert HolidayOverride.objects.get(date=datetime.date(2026, 10, 1)).name == "国庆节"
    before = list(HolidayOverride.objects.values_list("pk", "date", "kind", "name", "updated_at"))
    response = client.post(reverse("meetings:holiday_notice"), {"text": NOTICE_2026, "save": ""}, follow=True)
    assert list(HolidayOverride.objects.values_list("pk", "date", "kind", "name", "updated_at")) == before
    assert "39" in response.content.decode()  # 39 already entered


def test_an_unreadable_notice_saves_nothing_and_says_why_beside_the_text(hub_staff, client_for):
    text = NOTICE_2026.replace("三、清明节：", "三、清明节:")
    response = client_for(hub_staff).post(reverse("meetings:holiday_notice"), {"text": text, "save": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "第三条（清明节）无法读取：节日名称后面应为全角冒号（：）。"
    ]
    assert not HolidayOverride.objects.exists()


def test_a_range_entered_by_hand_saves_each_day(hub_staff, client_for):
    response = client_for(hub_staff).post(
        reverse("meetings:holidays"),
        {"date": "2027-10-01", "until": "2027-10-07", "kind": DayKind.HOLIDAY, "name": "国庆节"},
    )
    assert response.status_code == 302
    assert list(HolidayOverride.objects.values_list("date", flat=True)) == [
        datetime.date(2027, 10, day) for day in range(1, 8)
    ]


def test_a_range_that_ends_before_it_starts_is_refused_beside_the_field(hub_staff, client_for):
    response = client_for(hub_staff).post(
        reverse("meetings:holidays"), {"date": "2027-10-07", "until": "2027-10-01", "kind": DayKind.HOLIDAY}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["until"]
    assert not HolidayOverride.objects.exists()


def test_once_the_2027_notice_is_saved_the_planner_avoids_its_holidays(hub_staff, client_for):
    def october_meeting():
        proposal = planner.build_proposal(2027, weekday=2, week=1)  # first Wednesday
        return next(i["date"] for i in proposal.items if i["key"] == "monthly_topic-10")

    assert not planner.package_knows(2027)
    assert october_meeting() == "2027-10-06"
    client_for(hub_staff).post(reverse("meetings:holiday_notice"), {"text": NOTICE_2027, "save": ""})
    assert october_meeting() == "2027-10-13"
    assert not planner.HolidayCalendar(2027).is_meeting_day(datetime.date(2027, 10, 9))


def test_the_notice_page_and_its_preview_run_a_fixed_number_of_queries(
    hub_staff, client_for, django_assert_num_queries
):
    client = client_for(hub_staff)
    url = reverse("meetings:holiday_notice")
    with django_assert_num_queries(2):  # session, user
        assert client.get(url).status_code == 200
    for text in (NOTICE_2027, NOTICE_2025, NOTICE_2026):  # 10, 33 and 39 days
        with django_assert_num_queries(2):
            assert preview(client, text).status_code == 200


def test_the_holiday_list_runs_a_fixed_number_of_queries(hub_staff, client_for, django_assert_num_queries):
    client = client_for(hub_staff)
    for text in (NOTICE_2027, NOTICE_2026):
        client.post(reverse("meetings:holiday_notice"), {"text": text, "save": ""})
        with django_assert_num_queries(3):  # session, user, the days
            assert client.get(reverse("meetings:holidays")).status_code == 200
