"""The bell's list says what will appear there and where to choose e-mails, when it is empty."""

from django.urls import reverse


def test_an_empty_notification_list_says_what_will_appear_and_links_the_settings(client_for, partner):
    page = client_for(partner).get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = page.content.decode()
    assert "还没有通知。关于您的月报、会议和申请的提醒与决定会显示在这里" in page
    assert reverse("notifications:preferences") in page
