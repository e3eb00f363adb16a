"""SMS through the Tencent Cloud SDK, pointed at a local server that answers as the SendSms API does.

Off until configured; only for people who verified their number (a code by SMS: hashed, ten
minutes, five tries, one a minute) and chose SMS for the kind; template parameters only, cut to the
provider's length.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from hubsite.core.models import Delivery, MobileNumber, NotificationPreference
from hubsite.core.notifications import notify, register_kind
from hubsite.core.notifications.channels import personal_channels
from hubsite.core.notifications.channels.sms import parameter
from hubsite.core.notifications.tasks import send_delivery_now

from .channel_server import Reply, ScriptedServer

register_kind("test.sms", "短信测试提醒")
NUMBER = "+8613800138000"


def _status(code="Ok", message="send success"):
    return Reply(
        {
            "Response": {
                "SendStatusSet": [
                    {
                        "SerialNo": "2645:1",
                        "PhoneNumber": NUMBER,
                        "Fee": 1,
                        "SessionContext": "",
                        "Code": code,
                        "Message": message,
                        "IsoCode": "CN",
                    }
                ],
                "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
            }
        }
    )


@pytest.fixture
def tencent(settings):
    server = ScriptedServer(_status()).start()
    settings.SMS_SECRET_ID = "AKIDtest"
    settings.SMS_SECRET_KEY = "secret"
    settings.SMS_SDK_APP_ID = "1400000000"
    settings.SMS_SIGN_NAME = "同心源"
    settings.SMS_TEMPLATE_IDS = {"test.sms": "1110001"}
    settings.SMS_VERIFY_TEMPLATE_ID = "1110000"
    settings.SMS_ENDPOINT = server.url
    settings.SMS_TIMEOUT = 1
    settings.SMS_PARAM_MAX_LENGTH = 12
    yield server
    server.stop()


@pytest.fixture
def verified(partner):
    MobileNumber.objects.create(user=partner, number=NUMBER, verified_at=timezone.now())
    NotificationPreference.objects.create(user=partner, kind="test.sms", channels=["sms"])
    return partner


def _notify(user, step="due"):
    return notify(
        "test.sms",
        user,
        key="reports.monthlyreport:7",
        step=step,
        subject="十月月报已退回，请补充本月亮点的具体内容",
        body="…",
    )


def test_sms_is_off_until_configured_and_saving_settings_meanwhile_keeps_the_choice(
    verified, settings, client_for
):
    settings.SMS_SECRET_ID = ""
    assert personal_channels() == []
    assert not _notify(verified).deliveries.exists()
    client_for(verified).post(reverse("notifications:preferences"), {"email": []})
    preference = NotificationPreference.objects.get(user=verified, kind="test.sms")
    assert (preference.email_enabled, preference.channels) == (False, ["sms"])


def test_a_verified_opted_in_person_gets_one_sms_with_template_parameters_only(tencent, verified):
    notification = _notify(verified)
    delivery = notification.deliveries.get()
    assert (delivery.channel, delivery.target) == ("sms", NUMBER)
    assert send_delivery_now(delivery.pk) == ("sent", 0)
    assert send_delivery_now(delivery.pk) == ("not pending", 0)
    assert len(tencent.requests) == 1
    sent = tencent.requests[0]
    assert sent.headers["X-TC-Action"] == "SendSms"
    assert sent.headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    assert sent.body["PhoneNumberSet"] == [NUMBER]
    assert (sent.body["SmsSdkAppId"], sent.body["SignName"], sent.body["TemplateId"]) == (
        "1400000000",
        "同心源",
        "1110001",
    )
    assert sent.body["TemplateParamSet"] == ["短信测试提醒", "十月月报已退回，请补充…"]  # 12 characters


def test_the_kind_named_in_an_sms_is_in_the_recipients_language(tencent, verified, settings):
    register_kind("test.sms.words", gettext_lazy("Notifications"))
    settings.SMS_TEMPLATE_IDS = {"test.sms.words": "1110002"}
    settings.SMS_PARAM_MAX_LENGTH = 20
    NotificationPreference.objects.create(user=verified, kind="test.sms.words", channels=["sms"])
    for language, worker_language, key in (("en", "zh-hans", "k:1"), ("zh-hans", "en", "k:2")):
        verified.language = language
        verified.save(update_fields=["language"])
        sent = notify(
            "test.sms.words", verified, key=key, step="a", subject=gettext_lazy("Notifications"), body="…"
        )
        with translation.override(worker_language):  # the worker's own language must not leak in
            assert send_delivery_now(sent.deliveries.get().pk) == ("sent", 0)
    params = [request.body["TemplateParamSet"] for request in tencent.requests]
    assert params == [["Notifications", "Notifications"], ["通知", "通知"]]


def test_no_sms_without_a_verified_number_a_choice_or_a_template(tencent, partner, director, settings):
    MobileNumber.objects.create(user=partner, number=NUMBER)  # not verified
    NotificationPreference.objects.create(user=partner, kind="test.sms", channels=["sms"])
    MobileNumber.objects.create(user=director, number="+8613900139000", verified_at=timezone.now())
    assert not _notify(partner).deliveries.exists()
    assert not _notify(director).deliveries.exists()  # verified, but did not choose SMS
    settings.SMS_TEMPLATE_IDS = {}
    MobileNumber.objects.filter(user=partner).update(verified_at=timezone.now())
    assert not _notify(partner, step="later").deliveries.exists()


def test_the_providers_frequency_limit_is_retried_and_a_rejection_fails(tencent, verified):
    tencent.script.extend(
        [
            _status("LimitExceeded.PhoneNumberThirtySecondLimit", "30秒内超过限制"),
            _status("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批"),
        ]
    )
    delivery = _notify(verified).deliveries.get()
    assert send_delivery_now(delivery.pk) == ("retry", 30)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "LimitExceeded" in delivery.last_error
    assert send_delivery_now(delivery.pk) == ("failed", 0)
    delivery.refresh_from_db()
    assert "TemplateIncorrectOrUnapproved" in delivery.last_error


def test_an_api_error_and_a_timeout_are_recorded(tencent, verified):
    tencent.script.extend(
        [
            Reply(
                {
                    "Response": {
                        "Error": {"Code": "AuthFailure.SecretIdNotFound", "Message": "x"},
                        "RequestId": "r",
                    }
                }
            ),
            Reply({}, delay=2),
        ]
    )
    first = _notify(verified).deliveries.get()
    assert send_delivery_now(first.pk) == ("failed", 0)
    assert "AuthFailure" in Delivery.objects.get(pk=first.pk).last_error
    second = _notify(verified, step="later").deliveries.get()
    assert send_delivery_now(second.pk)[0] == "retry"
    second.refresh_from_db()
    assert second.status == "pending" and "ClientNetworkError" in second.last_error


def test_a_parameter_is_one_line_within_the_limit():
    assert parameter("a\n b", 12) == "a b"
    assert parameter("一二三四五六七八九十", 5) == "一二三四…"
    assert len(parameter("x" * 100, 20)) == 20


# --- Verifying a number on the preferences page.


def test_a_person_verifies_a_number_and_chooses_sms_for_a_kind(tencent, partner, client_for):
    client = client_for(partner)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert reverse("notifications:mobile") in page
    response = client.post(reverse("notifications:mobile"), {"number": "138 0013 8000"})
    assert response.status_code == 302 and response.url == reverse("notifications:mobile_verify")
    sent = tencent.requests[-1].body
    assert (sent["TemplateId"], sent["PhoneNumberSet"]) == ("1110000", [NUMBER])
    code, minutes = sent["TemplateParamSet"]
    assert minutes == "10" and len(code) == 6
    mobile = MobileNumber.objects.get(user=partner)
    assert code not in mobile.code_hash and mobile.verified_at is None

    response = client.post(reverse("notifications:mobile_verify"), {"code": code})
    assert response.status_code == 302
    mobile.refresh_from_db()
    assert mobile.verified_at is not None and mobile.code_hash == ""

    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="channel-sms" value="test.sms"' in page and "+86138****8000" in page
    client.post(reverse("notifications:preferences"), {"email": ["test.sms"], "channel-sms": ["test.sms"]})
    assert NotificationPreference.objects.get(user=partner, kind="test.sms").channels == ["sms"]
    assert _notify(partner).deliveries.get().target == NUMBER
    client.post(reverse("notifications:preferences"), {"email": ["test.sms"]})  # SMS unticked
    assert NotificationPreference.objects.get(user=partner, kind="test.sms").channels == []


def test_five_wrong_codes_and_then_even_the_right_one_is_refused(tencent, partner, client_for):
    client = client_for(partner)
    client.post(reverse("notifications:mobile"), {"number": "13800138000"})
    code = tencent.requests[-1].body["TemplateParamSet"][0]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert client.post(reverse("notifications:mobile_verify"), {"code": wrong}).status_code == 200
    response = client.post(reverse("notifications:mobile_verify"), {"code": code})
    assert response.status_code == 200 and "错误次数过多" in response.content.decode()
    assert MobileNumber.objects.get(user=partner).verified_at is None


def test_an_expired_code_is_refused(tencent, partner, client_for):
    client = client_for(partner)
    client.post(reverse("notifications:mobile"), {"number": "13800138000"})
    code = tencent.requests[-1].body["TemplateParamSet"][0]
    MobileNumber.objects.update(code_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(reverse("notifications:mobile_verify"), {"code": code}).status_code == 200
    assert MobileNumber.objects.get(user=partner).verified_at is None


def test_codes_are_rate_limited_per_minute_and_per_hour(tencent, partner, client_for):
    client = client_for(partner)
    assert client.post(reverse("notifications:mobile"), {"number": "13800138000"}).status_code == 302
    assert client.post(reverse("notifications:mobile"), {"number": "13800138000"}).status_code == 200
    assert len(tencent.requests) == 1
    for _ in range(4):
        MobileNumber.objects.update(code_sent_at=timezone.now() - datetime.timedelta(minutes=2))
        assert client.post(reverse("notifications:mobile"), {"number": "13800138000"}).status_code == 302
    MobileNumber.objects.update(code_sent_at=timezone.now() - datetime.timedelta(minutes=2))
    assert client.post(reverse("notifications:mobile"), {"number": "13800138000"}).status_code == 200
    assert len(tencent.requests) == 5


def test_a_code_that_cannot_be_sent_is_said_on_the_page_not_a_5xx(tencent, partner, client_for):
    tencent.script.append(_status("FailedOperation.PhoneNumberInBlacklist", "blacklist"))
    client = client_for(partner)
    response = client.post(reverse("notifications:mobile"), {"number": "13800138000"})
    assert response.status_code == 200
    assert MobileNumber.objects.get(user=partner).code_hash == ""
    # Not counted against the minute: the person may try again at once.
    assert client.post(reverse("notifications:mobile"), {"number": "13800138000"}).status_code == 302


def test_only_mainland_mobiles_are_accepted(tencent, partner, client_for):
    client = client_for(partner)
    for number in ("0771-1234567", "12345678901", "+85291234567"):
        assert client.post(reverse("notifications:mobile"), {"number": number}).status_code == 200
    assert tencent.requests == []


def test_without_sms_the_number_page_says_so(partner, client_for):
    client = client_for(partner)
    response = client.post(reverse("notifications:mobile"), {"number": "13800138000"})
    assert response.status_code == 200
    assert not MobileNumber.objects.exists()
