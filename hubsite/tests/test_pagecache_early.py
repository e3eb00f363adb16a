"""Cached pages answered by PageCacheMiddleware before the session and the person are loaded (issue 19):
no query for a hit, yet each person gets their own page, language and CSRF token, and a change of
password, role or login ends the shortcut at once."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hubsite.core.pagecache import CSRF_PLACEHOLDER

PUBLIC = "/coverage/public/"
COVERAGE = "/coverage/"


def csrf_values(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def page_entries() -> int:
    # This test process's cached pages only: other sessions' tests share the Redis.
    return len(list(cache._cache.get_client().scan_iter(f"{cache.key_prefix}:*:pagecache:*")))


def logged_in(user, **extra) -> Client:
    client = Client(**extra)
    client.force_login(user)
    return client


def test_an_anonymous_visitor_gets_the_cached_public_page_without_a_single_query(
    prefectures, django_assert_num_queries
):
    Client().get(PUBLIC)  # fills the cache
    visitor = Client()
    with django_assert_num_queries(0):
        response = visitor.get(PUBLIC)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="province-map' in html, "the map the visitor came for"
    assert 'action="/coverage/public/interest/#interest"' in html
    assert response["X-Frame-Options"] == "DENY", "a hit keeps the clickjacking protection"
    assert "private" in response["Cache-Control"], "no proxy may keep a page with a visitor's token"
    assert "Cookie" in response["Vary"]


def test_a_logged_in_hit_costs_no_query_and_shows_the_person_who_asked(
    viewer, director, centre_a, django_assert_num_queries
):
    first = logged_in(viewer)
    first.get(COVERAGE)  # full request: fills the cache, gives the session its pass
    with django_assert_num_queries(0):
        again = first.get(COVERAGE)
    assert again.status_code == 200
    assert viewer.full_name in again.content.decode()
    assert "private" in again["Cache-Control"]

    other = logged_in(director)
    other.get(COVERAGE)
    with django_assert_num_queries(0):
        html = other.get(COVERAGE).content.decode()
    assert director.full_name in html
    assert viewer.full_name not in html


def test_each_person_gets_the_cached_page_in_their_own_language(viewer, director, centre_a):
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    english, chinese = logged_in(viewer), logged_in(director)
    for client in (english, chinese, english, chinese):  # the second round is answered from the cache
        client.get(COVERAGE)
    hit_en, hit_zh = english.get(COVERAGE), chinese.get(COVERAGE)
    assert hit_en["Content-Language"] == "en"
    assert '<html lang="en"' in hit_en.content.decode()
    assert hit_zh["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in hit_zh.content.decode()


def test_a_changed_language_is_shown_at_the_next_visit(viewer, centre_a):
    client = logged_in(viewer)
    client.get(COVERAGE)
    assert client.get(COVERAGE)["Content-Language"] == "zh-hans"
    viewer.language = "en"
    viewer.save(update_fields=["language"])  # a save of the person ends every pass they hold
    assert client.get(COVERAGE)["Content-Language"] == "en"


@pytest.mark.parametrize("as_of", ["not-a-day", "2024-13-45", "2024-02-30"])
def test_a_day_the_form_refuses_adds_no_cache_entry(client_for, viewer, centre_a, as_of):
    client = client_for(viewer)
    client.get(COVERAGE)
    before = page_entries()
    response = client.get(COVERAGE, {"as_of": as_of})
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode(), "the refusal is shown"
    client.get(COVERAGE, {"as_of": as_of})
    assert page_entries() == before


def test_the_same_day_written_with_empty_values_shares_one_entry(client_for, viewer, centre_a):
    client = client_for(viewer)
    client.get(COVERAGE, {"as_of": "2024-01-01", "metric": "centres"})
    before = page_entries()
    client.get(COVERAGE, {"as_of": "2024-01-01", "metric": "centres"})
    assert page_entries() == before


def test_every_visitor_gets_a_token_of_their_own_that_posts(prefectures):
    Client().get(PUBLIC)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_tokens = csrf_values(first.get(PUBLIC).content.decode())
    second_tokens = csrf_values(second.get(PUBLIC).content.decode())
    assert first_tokens and second_tokens and CSRF_PLACEHOLDER not in "".join(first_tokens)
    assert first.cookies[settings.CSRF_COOKIE_NAME].value != second.cookies[settings.CSRF_COOKIE_NAME].value
    # Each visitor's token belongs to their own cookie: the language switch (a POST) goes through.
    response = second.post(
        reverse("set_language"), {"csrfmiddlewaretoken": second_tokens[0], "language": "en", "next": PUBLIC}
    )
    assert response.status_code == 302
    # And another visitor's token does not.
    stolen = first.post(
        reverse("set_language"), {"csrfmiddlewaretoken": second_tokens[0], "language": "en", "next": PUBLIC}
    )
    assert stolen.status_code == 403


def test_a_logged_in_hit_carries_a_token_for_the_persons_own_cookie(viewer, centre_a):
    client = logged_in(viewer, enforce_csrf_checks=True)
    client.get(COVERAGE)
    hit = client.get(COVERAGE)
    token = csrf_values(hit.content.decode())[0]
    response = client.post(reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en"})
    assert response.status_code == 302


def test_a_new_password_ends_the_other_sessions_at_once(viewer, centre_a):
    client = logged_in(viewer)
    client.get(COVERAGE)
    assert client.get(COVERAGE).status_code == 200  # served through the pass
    viewer.set_password("a new password 2026")
    viewer.save()
    response = client.get(COVERAGE)
    assert response.status_code == 302, "the old session is no longer logged in"
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_person_gets_no_cached_page(viewer, centre_a):
    client = logged_in(viewer)
    client.get(COVERAGE)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    assert client.get(COVERAGE).status_code == 302


def test_after_logging_out_the_old_session_cookie_opens_nothing(viewer, centre_a):
    client = logged_in(viewer)
    client.get(COVERAGE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(COVERAGE)
    assert response.status_code == 302
    assert viewer.full_name not in response.content.decode()


def test_a_flash_message_waiting_is_shown_not_skipped(viewer, centre_a):
    client = logged_in(viewer)
    client.get(COVERAGE)
    # The language switch leaves no message; the account e-mail page's POST would. A message in its
    # cookie is what a hit must not swallow:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    storage = CookieStorage(HttpRequest())
    carrier = HttpResponse()
    storage.add(constants.SUCCESS, "Saved: the centre's opening day")
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    html = client.get(COVERAGE).content.decode()
    assert "Saved: the centre&#x27;s opening day" in html or "Saved: the centre's opening day" in html


def test_a_forged_hint_cookie_shows_nobody_elses_page(viewer, director, centre_a):
    from hubsite.core.pagecache import HINT_COOKIE

    other = logged_in(director)
    other.get(COVERAGE)
    other.get(COVERAGE)  # the director's page is cached, and the director's pass issued
    client = logged_in(viewer)
    client.get(COVERAGE)
    client.cookies[HINT_COOKIE] = f"{director.pk}."
    html = client.get(COVERAGE).content.decode()
    assert viewer.full_name in html
    assert director.full_name not in html
