"""Whole cached responses (hubsite/core/pagecache.py) on the coverage pages: the second visit renders no
template, yet each visitor gets their own CSRF token, their own name and their own flash messages."""

import gzip
import re

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse

from hubsite.core.pagecache import CSRF_PLACEHOLDER, cached_page
from partners.coverage import data_changed

PUBLIC = "/coverage/public/"
COVERAGE = "/coverage/"


def csrf_values(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def test_a_cached_public_page_still_posts_with_each_visitors_own_token(
    prefectures, django_assert_num_queries
):
    first = Client(enforce_csrf_checks=True)
    first.get(PUBLIC)
    second = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        html = second.get(PUBLIC).content.decode()
    tokens = csrf_values(html)
    assert tokens and CSRF_PLACEHOLDER not in html
    response = second.post(
        reverse("coverage:interest"),
        {"csrfmiddlewaretoken": tokens[-1], "organisation_name": "", "contact_name": ""},
    )
    assert response.status_code != 403, "the token put back into the cached page must be this visitor's"


def test_a_cached_page_names_the_person_who_asked_not_the_one_who_filled_the_cache(
    client_for, viewer, director, centre_a
):
    assert viewer.full_name in client_for(viewer).get(COVERAGE).content.decode()
    html = client_for(director).get(COVERAGE).content.decode()
    assert director.full_name in html
    assert viewer.full_name not in html


def test_a_change_of_data_is_shown_at_the_next_visit(client, org_a, make_centre, prefectures):
    before = client.get(PUBLIC).content.decode()
    import datetime

    make_centre(org_a, "新开的亲子园", datetime.date(2020, 1, 1))
    data_changed()
    after = client.get(PUBLIC).content.decode()
    assert before != after


def test_a_visitor_who_accepts_gzip_gets_the_cached_page_compressed(client, prefectures):
    plain = client.get(PUBLIC).content
    response = client.get(PUBLIC, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert csrf_values(html) and CSRF_PLACEHOLDER not in html
    assert len(response.content) < len(plain) / 2
    assert re.sub(r'value="[^"]*"', "", html) == re.sub(r'value="[^"]*"', "", plain.decode())


@override_settings(MESSAGE_STORAGE="django.contrib.messages.storage.fallback.FallbackStorage")
def test_a_request_with_messages_waiting_is_rendered_and_not_stored(rf: RequestFactory, viewer):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    def request():
        made = rf.get("/somewhere/")
        made.user = viewer
        made.session = SessionStore()
        made._messages = FallbackStorage(made)
        return made

    calls = []

    def render():
        calls.append(1)
        return HttpResponse("<p>page</p>")

    with_message = request()
    with_message._messages.add(constants.SUCCESS, "保存成功")
    cached_page(with_message, 1, render)
    assert len(get_messages(with_message)) == 1, "the message is still there for the page to show"
    cached_page(request(), 1, render)
    cached_page(request(), 1, render)
    assert len(calls) == 2, "rendered for the request with a message and once more to fill the cache"


def test_only_successful_gets_are_kept(rf: RequestFactory, viewer):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    def request():
        made = rf.get("/missing/")
        made.user = viewer
        made.session = SessionStore()
        made._messages = FallbackStorage(made)
        return made

    calls = []

    def render():
        calls.append(1)
        return HttpResponse("gone", status=404)

    cached_page(request(), 1, render)
    cached_page(request(), 1, render)
    assert len(calls) == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_reads_the_cached_compressed_page_and_its_form_posts(demo, page_factory):
    page = page_factory(None, width=375)
    page.goto(f"{page.base_url}{PUBLIC}")  # fills the cache
    response = page.goto(f"{page.base_url}{PUBLIC}")  # served from it, gzip pieces joined
    assert response.headers.get("content-encoding") == "gzip"
    assert page.locator("svg.province-map path.covered").count() == 8
    token = page.locator('input[name="csrfmiddlewaretoken"]').last.get_attribute("value")
    assert token and token != CSRF_PLACEHOLDER
    page.fill("input[name=name]", "钦州童心社工")
    page.select_option("select[name=prefecture]", label="钦州市")
    page.fill("input[name=contact_name]", "黄女士")
    page.fill("input[name=contact_phone]", "13877712345")
    page.fill("textarea[name=description]", "社区儿童服务")
    page.check("input[name=consent]")
    page.locator("form[action$='/coverage/public/interest/#interest'] [type=submit]").click()
    page.wait_for_url("**/coverage/public/thanks/**")  # the form's #interest rides along the redirect


def test_parameters_the_page_does_not_read_add_no_cache_entries(client_for, viewer, centre_a):
    from django.core.cache import cache

    def entries() -> int:
        # This test process's keys only: other pytest workers share the Redis.
        return len(list(cache._cache.get_client().scan_iter(f"{cache.key_prefix}:*:pagecache:*")))

    client = client_for(viewer)
    client.get(COVERAGE, {"metric": "centres"})
    before = entries()
    assert before >= 1
    for n in range(5):
        client.get(COVERAGE, {"metric": "centres", "utm": n})
    assert entries() == before
