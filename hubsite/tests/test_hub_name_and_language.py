"""Chinese whatever the browser says, a person's language saved on their account and followed at
login and in e-mails, and the hub's name (HUB_NAME) in titles and the mail's From (issue 14)."""

import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.urls import reverse

from partners.models import User

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOGIN = "/accounts/login/"
PASSWORD = "demo-hub-2024"


def _log_in(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_browser_set_to_english_still_gets_chinese(client, db):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录枢纽平台" in page
    assert "Log in to the hub platform" not in page


def test_a_person_set_to_english_gets_english_whatever_the_browser_says(client_for, partner):
    partner.language = "en"
    partner.save()
    page = client_for(partner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page
    assert "Welcome, 蓝老师" in page


def test_choosing_english_is_saved_and_comes_back_after_logging_out_and_in(client, partner):
    _log_in(client, partner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    partner.refresh_from_db()
    assert partner.language == "en"

    client.post(reverse("account_logout"))
    client.cookies.clear()  # another browser: no language cookie, only the account remembers
    assert "登录枢纽平台" in client.get(LOGIN).content.decode()
    _log_in(client, partner)
    page = client.get(reverse("home")).content.decode()
    assert "Welcome, 蓝老师" in page
    assert "Log out" in page


def test_english_chosen_on_the_login_page_is_kept_for_someone_who_never_chose(client, partner):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    _log_in(client, partner)
    partner.refresh_from_db()
    assert partner.language == "en"


def test_a_saved_choice_wins_over_the_login_pages_cookie(client, partner):
    partner.language = "zh-hans"
    partner.save()
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    _log_in(client, partner)
    assert "欢迎，蓝老师" in client.get(reverse("home")).content.decode()
    partner.refresh_from_db()
    assert partner.language == "zh-hans"


def test_an_unknown_language_is_not_saved(client_for, partner):
    client_for(partner).post(reverse("set_language"), {"language": "fr", "next": "/"})
    partner.refresh_from_db()
    assert partner.language == ""


def test_page_titles_end_with_the_hubs_name(client, db, settings):
    page = client.get(LOGIN).content.decode()
    assert "· 南宁市同心源社会工作服务中心</title>" in page
    assert "hubsite</title>" not in page
    settings.HUB_NAME = "桂林亲子园枢纽"
    assert "· 桂林亲子园枢纽</title>" in client.get(LOGIN).content.decode()


def test_the_english_title_says_the_hubs_name_in_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    page = client.get(LOGIN).content.decode()
    assert "· Nanning Tongxinyuan Social Work Service Centre</title>" in page


def test_a_password_reset_mail_comes_from_the_hub_by_name(client, partner):
    client.post(reverse("account_reset_password"), {"email": partner.email})
    (message,) = mail.outbox
    assert str(message.from_email) == '"南宁市同心源社会工作服务中心" <noreply@example.org>'
    assert message.subject.startswith("[南宁市同心源社会工作服务中心] ")
    assert "hubsite" not in message.subject


def test_a_password_reset_asked_on_a_chinese_page_is_in_the_persons_english(client, partner):
    User.objects.filter(pk=partner.pk).update(language="en")
    client.post(reverse("account_reset_password"), {"email": partner.email})
    (message,) = mail.outbox
    assert message.subject.startswith("[Nanning Tongxinyuan Social Work Service Centre] ")
    assert "设置新密码" not in message.subject


def test_an_invitation_is_written_in_the_invited_persons_language(partner):
    from partners.actions import send_invitation

    User.objects.filter(pk=partner.pk).update(language="en")
    send_invitation(partner.pk)
    (message,) = mail.outbox
    assert message.subject.startswith("[Nanning Tongxinyuan Social Work Service Centre] ")
    assert "您" not in message.subject


def test_hub_name_and_from_address_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.HUB_NAME); print(s.DEFAULT_FROM_EMAIL); print(s.ACCOUNT_EMAIL_SUBJECT_PREFIX)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DEFAULT_FROM_EMAIL"}
    env.update({"HUB_NAME": "柳州亲子园枢纽", "DEFAULT_FROM_EMAIL": "hub@example.org"})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "柳州亲子园枢纽",
        '"柳州亲子园枢纽" <hub@example.org>',
        "[柳州亲子园枢纽] ",
    ]
