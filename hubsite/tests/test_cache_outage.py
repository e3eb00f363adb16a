"""The cache fails open: with Redis unreachable, every page and write works (slower), login too.

The dead server is real: a unix socket path nothing listens on, or a private redis-server that the
test stops (never the shared one).
"""

import datetime
import logging
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from conftest import PASSWORD
from hubsite.core import cache as fail_open


@pytest.fixture
def cache_down(settings, tmp_path):
    """Point the site's cache at a socket nothing listens on."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"unix://{tmp_path}/nobody-home.sock?db=1",
        }
    }
    return caches["default"]


def _backend(location, prefix):
    return fail_open.FailOpenRedisCache(location, {"KEY_PREFIX": prefix})


def test_a_dead_cache_answers_as_if_empty_and_fast(cache_down, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="hubsite.core.cache"):
        assert cache_down.get("anything", "fallback") == "fallback"
        cache_down.set("anything", 1)
        assert cache_down.add("lock", True) is True  # a lock nobody can hold does not block its taker
        assert cache_down.incr("counter") == 1  # a counter that cannot be read counts as fresh
        assert cache_down.get_or_set("computed", lambda: 42) == 42
        assert cache_down.get_many(["a", "b"]) == {}
        assert cache_down.has_key("anything") is False
        cache_down.delete("anything")
        cache_down.delete_many(["a", "b"])
        assert cache_down.set_many({"a": 1}) == ["a"]
    assert time.monotonic() - started < 1
    # Logged once, not once per call: an outage must not flood the log.
    warnings = [r for r in caplog.records if r.name == "hubsite.core.cache"]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()


def test_it_uses_the_cache_normally_when_redis_is_up():
    cache = caches["default"]
    assert isinstance(cache, fail_open.FailOpenRedisCache)
    cache.set("fail-open-probe", {"x": 1}, 60)
    assert cache.get("fail-open-probe") == {"x": 1}
    assert cache.add("fail-open-probe", 2) is False  # add keeps its meaning when Redis answers
    cache.set("fail-open-counter", 5)
    assert cache.incr("fail-open-counter", 2) == 7


def test_a_write_lost_in_an_outage_makes_the_cache_forget_what_it_had(private_redis):
    """A version bump that never reached Redis must not leave pages from before the change behind."""
    private_redis.appendonly = True  # the server comes back with its old data, like one restarted from AOF
    private_redis.start()
    location = f"unix://{private_redis.socket}?db=1"
    cache = _backend(location, "lost-write-test")
    cache.set("version", 1, None)
    cache.set("page:1", "the page at version 1", None)

    private_redis.stop()
    cache.set("version", 2, None)  # the bump after a committed change: lost
    assert cache.get("version", "recompute") == "recompute"

    private_redis.start()
    assert private_redis.client(db=1).exists(cache.make_key("version")) == 1  # Redis kept the old data
    fail_open._HEALTH[(tuple(cache._servers), cache.key_prefix)].down_until = 0  # no waiting in a test
    assert cache.get("page:1") is None
    assert cache.get("version") is None
    cache.set("version", 3, None)
    assert cache.get("version") == 3  # and it works normally again


def test_a_dead_cache_does_not_stop_login_with_the_right_password(cache_down, client, partner):
    response = client.post(
        reverse("account_login"), {"login": partner.email, "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302
    assert "/accounts/login/" not in response["Location"]
    assert client.get(reverse("home")).status_code == 200


def test_a_dead_cache_still_refuses_a_wrong_password(cache_down, client, partner):
    response = client.post(reverse("account_login"), {"login": partner.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_pages_and_the_interest_form_work_with_a_dead_cache(
    cache_down, client_for, hub_staff, org_a, make_centre, prefectures
):
    from partners.models import Organisation, Prefecture

    make_centre(org_a, "新园", datetime.date(2024, 1, 1))
    anonymous = client_for(None)
    public = anonymous.get(reverse("coverage:public"))
    assert public.status_code == 200
    assert public.context["total_centres"] == 1
    response = anonymous.post(
        reverse("coverage:interest"),
        {
            "name": "钦州童心社工",
            "prefecture": Prefecture.objects.get(code="450700").pk,
            "contact_name": "黄女士",
            "contact_phone": "13877712345",
            "description": "社区儿童服务",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="钦州童心社工").exists()

    staff = client_for(hub_staff)
    assert staff.get(reverse("coverage:index")).status_code == 200
    assert staff.get(reverse("home")).status_code == 200
    assert staff.get(reverse("mutualaid:overview")).status_code == 200  # the cached network evaluation
