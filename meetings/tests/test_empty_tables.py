"""Empty meeting tables say what is empty and where the rows come from."""

from django.urls import reverse

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_an_empty_action_item_list_says_where_items_are_agreed(client_for, partner):
    page = client_for(partner).get(reverse("meetings:action_list"), **ZH).content.decode()
    assert "没有符合筛选条件的跟进事项。跟进事项在会议中议定，并记录在会议页面上。" in page


def test_empty_attendance_rates_say_when_attendance_is_recorded(client_for, hub_staff):
    page = client_for(hub_staff).get(reverse("meetings:attendance_rates"), **ZH).content.decode()
    assert "还没有出席记录：会议召开后，在各会议页面登记出席。" in page


def test_an_empty_sending_log_says_nothing_was_sent(client_for, hub_staff):
    page = client_for(hub_staff).get(reverse("notifications:log"), **ZH).content.decode()
    assert "还没有发送任何通知。" in page


def test_an_empty_meeting_list_says_how_to_find_meetings(client_for, partner):
    page = client_for(partner).get(reverse("meetings:calendar"), {"view": "list"}, **ZH).content.decode()
    assert "没有符合筛选条件的会议。请清除筛选条件，或查看月视图。" in page
