"""Logging in by e-mail through allauth: closed sign-up, password reset, lock-out, the admin's door."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from partners.models import User

PASSWORD = "demo-hub-2024"
LOGIN = "/accounts/login/"


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_a_person_logs_in_with_their_email_and_password(client, partner, own_rate_limits):
    response = _login(client, "partner@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == partner


def test_a_wrong_password_is_refused_in_chinese(client, partner, own_rate_limits):
    response = _login(client, "partner@example.org", "not-the-password")
    assert response.status_code == 200
    assert "电子邮箱或密码不正确，请重新输入。" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_login_page_is_in_chinese_and_offers_a_password_reset(client):
    page = client.get(LOGIN).content.decode()
    assert "登录枢纽平台" in page
    assert reverse("account_reset_password") in page
    # No invitation to sign up: accounts come from hub staff.
    assert reverse("account_signup") not in page


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(client, partner, own_rate_limits):
    for _ in range(5):
        response = _login(client, "partner@example.org", "wrong-password")
        assert "电子邮箱或密码不正确，请重新输入。" in response.content.decode()
    response = _login(client, "partner@example.org", PASSWORD)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "登录失败次数过多，请稍后重试。" in response.content.decode()


def test_the_lock_is_per_account(client, partner, director, own_rate_limits):
    for _ in range(5):
        _login(client, "partner@example.org", "wrong-password")
    assert _login(client, "director@example.org", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_the_login(client, partner, own_rate_limits):
    for _ in range(4):
        _login(client, "partner@example.org", "wrong-password")
    assert _login(client, "partner@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
def test_sign_up_is_closed_and_creates_nobody(client, db, method):
    data = {
        "email": "newcomer@example.org",
        "password1": "Aa1!long-enough-pw",
        "password2": "Aa1!long-enough-pw",
    }
    response = getattr(client, method)(reverse("account_signup"), data if method == "post" else None)
    assert response.status_code == 200
    page = response.content.decode()
    assert "注册已关闭" in page
    assert "枢纽同工" in page
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert User.objects.count() == 0
    assert not response.wsgi_request.user.is_authenticated


def _reset_link(outbox_message):
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", outbox_message.body)
    assert match, outbox_message.body
    return match.group(1)


def test_a_password_reset_goes_from_mail_to_a_new_login(client, partner, own_rate_limits):
    response = client.post(reverse("account_reset_password"), {"email": "partner@example.org"})
    assert response.status_code == 302
    assert "请查收邮件" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["partner@example.org"]
    assert mail.outbox[0].subject == "[南宁市同心源社会工作服务中心] 设置新密码"  # HUB_NAME, not "hubsite"
    assert "申请重置您在枢纽平台的账号密码" in mail.outbox[0].body

    link = _reset_link(mail.outbox[0])
    response = client.get(link)
    # allauth moves the key into the session and redirects, so the key never sits in the page's URL.
    assert response.status_code == 302
    form_url = response["Location"]
    assert "设置新密码" in client.get(form_url).content.decode()

    new_password = "Tongxin-yuan-2025!"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    client.logout()

    assert _login(client, "partner@example.org", PASSWORD).status_code == 200
    assert _login(client, "partner@example.org", new_password).status_code == 302

    # The link works once.
    client.logout()
    assert "此链接已失效" in client.get(link, follow=True).content.decode()


def test_a_weak_password_is_refused_on_the_reset_form(client, partner, own_rate_limits):
    client.post(reverse("account_reset_password"), {"email": "partner@example.org"})
    form_url = client.get(_reset_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码太短了，至少需要 10 个字符。" in page
    assert "这个密码太常见了。" in page
    assert "is-invalid" in page
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


def test_a_reset_for_an_unknown_address_sends_no_mail(client, db, own_rate_limits):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_admin_login_is_allauths_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"
    response = client.get("/admin/")
    assert response.status_code == 302


def test_a_partner_gets_no_admin_access(client_for, director):
    client = client_for(director)
    assert client.get("/admin/login/").status_code == 403
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403
    assert client.get("/admin/partners/organisation/").status_code == 302


def test_hub_staff_reach_the_admin(client_for, hub_staff):
    assert client_for(hub_staff).get("/admin/").status_code == 200


def test_a_deactivated_person_cannot_log_in(client, partner, own_rate_limits):
    partner.is_active = False
    partner.save()
    response = _login(client, "partner@example.org", PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
