"""Rate limits key on the real client address, behind as many proxies as we say (issue 11, item 8).

Requests arrive from the proxy's address (127.0.0.1, the test client's REMOTE_ADDR) with the client's
address in X-Forwarded-For, as behind the README's TLS proxy. allauth allows 20 failed logins a
minute per address; the public interest form five submissions an hour.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Organisation

PASSWORD = "demo-hub-2024"
LOGIN = "/accounts/login/"
TOO_MANY = "登录失败次数过多，请稍后重试。"
X, Y = "203.0.113.7", "198.51.100.9"
PROXY = "127.0.0.1"


def _login(client, email, password, **headers):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=PROXY, **headers)


def _fail_twenty_times(client, **headers):
    # Unknown addresses, so only the per-address limit counts (not the per-account lock).
    for i in range(20):
        page = _login(client, f"nobody{i}@example.org", "wrong-password", **headers).content.decode()
        assert TOO_MANY not in page


def _logged_in(response) -> bool:
    return "_auth_user_id" in response.wsgi_request.session


def test_behind_one_proxy_failed_logins_from_one_client_do_not_lock_out_another(
    settings, partner, own_rate_limits
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _fail_twenty_times(Client(), HTTP_X_FORWARDED_FOR=X)
    # X is stopped, even with the right password ...
    refused = _login(Client(), partner.email, PASSWORD, HTTP_X_FORWARDED_FOR=X)
    assert TOO_MANY in refused.content.decode() and not _logged_in(refused)
    # ... Y, through the same proxy, logs in.
    assert _logged_in(_login(Client(), partner.email, PASSWORD, HTTP_X_FORWARDED_FOR=Y))


def test_the_client_address_is_the_one_our_proxy_appended_not_what_the_client_wrote(
    settings, partner, own_rate_limits
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # X writes a different X-Forwarded-For each time; our proxy appends X's real address last.
    for i in range(20):
        _login(Client(), f"nobody{i}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, {X}")
    refused = _login(Client(), partner.email, PASSWORD, HTTP_X_FORWARDED_FOR=f"10.9.9.9, {X}")
    assert TOO_MANY in refused.content.decode()


def test_with_no_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
    settings, partner, own_rate_limits
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for i in range(20):
        _login(Client(), f"nobody{i}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    refused = _login(Client(), partner.email, PASSWORD, HTTP_X_FORWARDED_FOR=Y)
    assert TOO_MANY in refused.content.decode() and not _logged_in(refused)


def test_a_request_that_bypassed_a_proxy_is_keyed_on_its_connection_not_refused(
    settings, partner, own_rate_limits
):
    # Two proxies configured, but this request carries one hop only (allauth alone would raise a 500).
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = _login(Client(), partner.email, PASSWORD, HTTP_X_FORWARDED_FOR=X)
    assert response.status_code == 302 and _logged_in(response)


def test_a_trusted_client_ip_header_names_the_client(settings, partner, own_rate_limits):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    _fail_twenty_times(Client(), HTTP_X_REAL_IP=X)
    assert TOO_MANY in _login(Client(), partner.email, PASSWORD, HTTP_X_REAL_IP=X).content.decode()
    assert _logged_in(_login(Client(), partner.email, PASSWORD, HTTP_X_REAL_IP=Y))


# --- The public interest form: five an hour per client address.


def _interest(client, name, **headers):
    from partners.models import Prefecture

    data = {
        "name": name,
        "prefecture": Prefecture.objects.get(code="450700").pk,
        "contact_name": "黄女士",
        "contact_phone": "13877712345",
        "description": "社区儿童服务",
        "consent": "on",
    }
    return client.post(reverse("coverage:interest"), data, REMOTE_ADDR=PROXY, **headers)


@pytest.mark.usefixtures("prefectures", "own_rate_limits")
def test_behind_one_proxy_one_networks_interests_do_not_use_up_everyones_hour(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        assert _interest(Client(), f"机构X{i}", HTTP_X_FORWARDED_FOR=X).status_code == 302
    refused = _interest(Client(), "机构X5", HTTP_X_FORWARDED_FOR=X)
    assert refused.status_code == 200 and "请一小时后再试" in refused.content.decode()
    assert _interest(Client(), "机构Y", HTTP_X_FORWARDED_FOR=Y).status_code == 302
    assert set(Organisation.objects.values_list("name", flat=True)) == {f"机构X{i}" for i in range(5)} | {
        "机构Y"
    }


@pytest.mark.usefixtures("prefectures", "own_rate_limits")
def test_with_no_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_interest_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        assert _interest(Client(), f"机构{i}", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code == 302
    refused = _interest(Client(), "机构5", HTTP_X_FORWARDED_FOR=Y)
    assert refused.status_code == 200
    assert not Organisation.objects.filter(name="机构5").exists()


def test_production_reads_the_proxy_and_file_settings_from_the_environment():
    """The deployment's variables (README, Production) reach allauth and the file helper."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hubsite.settings.production",
            "SECRET_KEY": "p" * 60,
            "TRUSTED_PROXY_COUNT": "1",
            "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
            "PROTECTED_FILES_ACCEL_PREFIX": "/protected/",
        }
    )
    code = (
        "import django; django.setup()\n"
        "from allauth import app_settings as a\n"
        "from django.conf import settings as s\n"
        "print(a.TRUSTED_PROXY_COUNT, a.TRUSTED_CLIENT_IP_HEADER, s.PROTECTED_FILES_ACCEL_PREFIX,"
        " s.ACCOUNT_MAX_EMAIL_ADDRESSES, s.ACCOUNT_CHANGE_EMAIL)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "X-Real-IP", "/protected/", "1", "False"]
