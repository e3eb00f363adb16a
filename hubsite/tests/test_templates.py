"""Every page's assets are served from here (no CDN), error pages speak Chinese, allauth fits the site."""

import re
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

# The project's templates and every app's, however many apps there are.
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + sorted(Path(settings.BASE_DIR).glob("*/templates"))
EXTERNAL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)
# Namespace declarations of inline SVG are names, not downloads.
XMLNS = re.compile(r"""xmlns(?::\w+)?=["'][^"']*["']""")


def _page_templates():
    return [path for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")]


def test_the_templates_are_found():
    names = {path.name for path in _page_templates()}
    assert {"base.html", "login.html", "404.html", "_nav.html"} <= names


def test_no_template_loads_anything_from_another_site():
    offenders = []
    for path in _page_templates():
        text = XMLNS.sub("", path.read_text(encoding="utf-8"))
        offenders += [f"{path}: {match}" for match in EXTERNAL.findall(text)]
    assert offenders == []


def test_a_rendered_page_only_links_to_local_assets(client_for, partner):
    for user, url in ((None, "/accounts/login/"), (partner, reverse("home"))):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assets = re.findall(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", page)
        assert assets, url
        for asset in assets:
            assert asset.startswith(settings.STATIC_URL), f"{url}: {asset}"


def test_the_static_assets_exist(client, db):
    from django.contrib.staticfiles import finders

    for asset in (
        "bootstrap/css/bootstrap.min.css",
        "bootstrap/js/bootstrap.bundle.min.js",
        "css/hubsite.css",
    ):
        assert finders.find(asset), asset


def test_an_unknown_page_answers_404_in_chinese(client_for, partner):
    response = client_for(partner).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert "返回首页" in page


def test_a_forbidden_page_answers_403_in_chinese(client_for, director):
    response = client_for(director).get("/admin/login/")
    assert response.status_code == 403
    assert "您无权查看此页面" in response.content.decode()


def test_the_500_page_renders_without_a_database_or_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错了" in page
    assert "/static/css/hubsite.css" in page


def test_allauths_other_pages_use_the_site_layout(client_for, partner):
    page = client_for(partner).get(reverse("account_change_password")).content.decode()
    assert "/static/css/hubsite.css" in page
    assert 'class="form-control' in page
    assert "btn btn-hub" in page


def test_the_navigation_follows_the_role(client_for, hub_staff, partner):
    assert 'href="/admin/"' in client_for(hub_staff).get(reverse("home")).content.decode()
    assert 'href="/admin/"' not in client_for(partner).get(reverse("home")).content.decode()
