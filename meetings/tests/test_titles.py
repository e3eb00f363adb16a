"""Titles the planner wrote follow the reader's language; titles people typed stay as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.choices import MeetingKind
from meetings.titles import generated_title, localized


@pytest.mark.parametrize(
    ("kind", "chinese", "english"),
    [
        (MeetingKind.MONTHLY_TOPIC, "2027年03月 月度小议题会议", "2027-03 monthly topic meeting"),
        (MeetingKind.QUARTERLY_DIRECTORS, "2027年第2季度 机构负责人季度会议", "2027 Q2 directors' meeting"),
        (MeetingKind.HALF_YEAR_REGIONAL, "2027年第1次 半年全区会议", "2027 H1 regional meeting"),
        (MeetingKind.SUPERVISION, "2027年第3次督导：都安瑶山", "2027 supervision 3: 都安瑶山"),
    ],
)
def test_a_planned_title_reads_in_either_language(kind, chinese, english):
    with translation.override("en"):
        assert localized(chinese, kind) == english
        assert localized(english, kind) == english
    with translation.override("zh-hans"):
        assert localized(english, kind) == chinese
        assert localized(chinese, kind) == chinese


def test_the_planner_writes_its_titles_from_the_same_templates():
    with translation.override("zh-hans"):
        assert generated_title(MeetingKind.MONTHLY_TOPIC, year=2027, month=3) == "2027年03月 月度小议题会议"


def test_a_typed_title_stays_as_typed():
    with translation.override("en"):
        assert localized("伙伴交流会", MeetingKind.OTHER) == "伙伴交流会"
        # A person's title that happens to start like a planned one is not rewritten.
        assert localized("2027年03月 月度小议题会议（改期）", MeetingKind.MONTHLY_TOPIC).endswith("（改期）")


def test_the_meeting_page_and_calendar_show_the_title_in_english(client_for, hub_staff, make_meeting):
    meeting = make_meeting(MeetingKind.QUARTERLY_DIRECTORS, title="2027年第2季度 机构负责人季度会议")
    client = client_for(hub_staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<h1>2027 Q2 directors&#x27; meeting</h1>" in page or "<h1>2027 Q2 directors' meeting</h1>" in page
    assert "机构负责人季度会议" not in page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "2027年第2季度 机构负责人季度会议" in page
