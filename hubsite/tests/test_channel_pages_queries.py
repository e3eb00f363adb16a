"""The SMS opt-in pages (mobile number, code) cost the same number of queries whatever the number of
people with numbers, notifications and preferences: built with one row of each and with five."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import MobileNumber, NotificationPreference
from hubsite.core.notifications import notify, register_kind

from .channel_server import Reply, ScriptedServer

pytestmark = pytest.mark.django_db

register_kind("test.sms_pages", "短信页面测试提醒")
NUMBER = "+8613800138000"
SENT = Reply(
    {
        "Response": {
            "SendStatusSet": [{"SerialNo": "1:1", "PhoneNumber": NUMBER, "Code": "Ok", "Message": "ok"}],
            "RequestId": "b1",
        }
    }
)


@pytest.fixture
def tencent(settings):
    """The SMS provider's API on 127.0.0.1 (the only thing not real here)."""
    server = ScriptedServer(SENT).start()
    settings.SMS_SECRET_ID = "AKIDtest"
    settings.SMS_SECRET_KEY = "secret"
    settings.SMS_SDK_APP_ID = "1400000000"
    settings.SMS_SIGN_NAME = "同心源"
    settings.SMS_TEMPLATE_IDS = {"test.sms_pages": "1110001"}
    settings.SMS_VERIFY_TEMPLATE_ID = "1110000"
    settings.SMS_ENDPOINT = server.url
    settings.SMS_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture
def crowd(make_user, org_a, partner):
    """`crowd(size)`: ``size`` other people with verified numbers and SMS chosen, and ``size`` unread
    notifications for ``partner``."""

    def build(size):
        for i in range(size):
            person = make_user(f"sms{i}@example.org", "partner_staff", org_a, full_name=f"老师{i}")
            MobileNumber.objects.create(user=person, number=f"+861390000000{i}", verified_at=timezone.now())
            NotificationPreference.objects.create(user=person, kind="test.sms_pages", channels=["sms"])
            notify("test.sms_pages", partner, key=f"test:{i}", step="due", subject=f"提醒{i}", body="…")

    return build


@pytest.mark.parametrize("size", [1, 5])
def test_the_mobile_number_and_code_pages_run_a_fixed_number_of_queries(
    tencent, crowd, partner, client_for, django_assert_num_queries, size
):
    crowd(size)
    client = client_for(partner)
    # session, user (the bell asks for its count in a request of its own)
    with django_assert_num_queries(2):
        page = client.get(reverse("notifications:mobile")).content.decode()
    assert 'name="number"' in page and "短信" in page
    # session, user, then in one transaction the number row locked (get_or_create: select,
    # savepoint, insert, release) and saved with the hashed code; the hourly limit is in Redis
    with django_assert_num_queries(9):
        response = client.post(reverse("notifications:mobile"), {"number": "138 0013 8000"})
    assert response.status_code == 302 and response.url == reverse("notifications:mobile_verify")
    code = tencent.requests[-1].body["TemplateParamSet"][0]
    assert tencent.requests[-1].body["PhoneNumberSet"] == [NUMBER]

    with django_assert_num_queries(2):
        page = client.get(reverse("notifications:mobile_verify")).content.decode()
    assert 'name="code"' in page
    # session, user, the number row locked and saved (in a transaction)
    with django_assert_num_queries(6):
        response = client.post(reverse("notifications:mobile_verify"), {"code": code})
    assert response.status_code == 302
    assert MobileNumber.objects.get(user=partner).verified_at is not None


@pytest.mark.parametrize("size", [1, 5])
def test_a_refused_code_costs_the_same_queries_and_says_why(
    tencent, crowd, partner, client_for, django_assert_num_queries, size
):
    crowd(size)
    client = client_for(partner)
    client.post(reverse("notifications:mobile"), {"number": "13800138000"})
    code = tencent.requests[-1].body["TemplateParamSet"][0]
    wrong = "000000" if code != "000000" else "111111"
    # the wrong try is saved before the refusal, so it costs what a right one does
    with django_assert_num_queries(6):
        response = client.post(reverse("notifications:mobile_verify"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["验证码不正确。"]
