"""Stored files are reachable only through views that check the user (issue 11, item 2).

Real reports are generated and stored; then every stored file's /media/ path is asked for as every
role, with the production URLconf and with the one DEBUG builds, and no file comes back. The checked
download view serves the owner (streamed, or handed to nginx by X-Accel-Redirect) and 404s others.
"""

import datetime
import importlib
import os
import re
from urllib.parse import quote, unquote

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, reverse

from reports.choices import ReportStatus
from reports.models import GeneratedReport
from reports.regional import generate
from reports.regional.actions import do_request_report
from reports.regional.choices import GenerationStatus, PeriodKind
from reports.tests.factories import make_report
from tests.matrix import ROLES

MONTH = datetime.date(2024, 5, 1)
TOKEN = r"[A-Za-z0-9_-]{22}"  # secrets.token_urlsafe(16)


def _generated(by, **scope):
    report, _created = do_request_report(by=by, kind=PeriodKind.MONTH, start=MONTH, **scope)
    assert generate.run(report.pk) == "done"
    report.refresh_from_db()
    return report


@pytest.fixture
def stored(media_root, org_a, centre_a, director, viewer):
    """Two generated reports (four real files) and a stray upload, all under MEDIA_ROOT."""
    make_report(org_a, MONTH, status=ReportStatus.APPROVED)
    org_report = _generated(director, scope="organisation")
    region_report = _generated(viewer, scope="region")
    stray = default_storage.save("uploads/notes.txt", ContentFile(b"hub-only notes"))
    names = sorted(
        os.path.relpath(os.path.join(folder, name), media_root).replace(os.sep, "/")
        for folder, _dirs, files in os.walk(media_root)
        for name in files
    )
    assert names == sorted(
        [org_report.pdf.name, org_report.xlsx.name, region_report.pdf.name, region_report.xlsx.name, stray]
    )
    return {"org": org_report, "region": region_report, "names": names}


@pytest.fixture
def debug_urlconf(settings):
    """The URLconf as `make run` (DEBUG on) builds it, reloaded so DEBUG-only routes would appear."""
    import hubsite.urls

    admin_login = admin.site.login  # the URLconf wraps it on import; keep one wrapper, not one per reload
    settings.DEBUG = True
    importlib.reload(hubsite.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    admin.site.login = admin_login
    importlib.reload(hubsite.urls)
    admin.site.login = admin_login
    clear_url_caches()


def _assert_no_file_anywhere(stored, personas, client_for):
    contents = {name: default_storage.open(name).read() for name in stored["names"]}
    for role in ROLES:
        client = client_for(personas[role])
        for name, content in contents.items():
            response = client.get(f"/media/{name}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 404, (role, name, response.status_code)
            assert content not in body, (role, name)


def test_no_stored_file_is_served_from_media_to_anyone(stored, personas, client_for):
    _assert_no_file_anywhere(stored, personas, client_for)


def test_no_stored_file_is_served_from_media_even_with_debug_on(stored, personas, client_for, debug_urlconf):
    _assert_no_file_anywhere(stored, personas, client_for)


def test_stored_names_carry_a_random_part_and_differ_between_runs(stored, director):
    report = stored["org"]
    folder = f"regional-reports/{report.pk}/"
    stem = f"{MONTH:%Y%m}-month-organisation-{report.pk}"
    assert re.fullmatch(re.escape(folder + stem) + "-" + TOKEN + r"\.pdf", report.pdf.name)
    assert re.fullmatch(re.escape(folder + stem) + "-" + TOKEN + r"\.xlsx", report.xlsx.name)
    # The same report asked for again is a new row whose names share nothing guessable with the first.
    again = _generated(director, scope="organisation")
    assert again.pk != report.pk
    assert again.pdf.name.rsplit("-", 1)[1] != report.pdf.name.rsplit("-", 1)[1]


def _download(report, fmt="pdf"):
    return reverse("reports:regional_download", args=[report.pk, fmt])


def test_the_checked_view_streams_the_file_under_its_title(
    stored, client_for, director, django_assert_num_queries
):
    report = stored["org"]
    client = client_for(director)
    with django_assert_num_queries(3):  # session, user, the scoped report
        response = client.get(_download(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == default_storage.open(report.pdf.name).read()
    disposition = response["Content-Disposition"]
    title = f"{report.title}.pdf".replace(" ", "-")
    assert re.search(r"[\u4e00-\u9fff]", title)  # a Chinese name, so the UTF-8 form matters
    assert disposition.startswith("attachment; ")
    fallback = re.search(r'filename="([^"]*)"', disposition).group(1)
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == title
    xlsx = client.get(_download(report, "xlsx"))
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_the_checked_view_refuses_other_organisations_and_guessed_ids(
    stored, client_for, make_user, org_b, other, viewer
):
    director_b = make_user("director-b@example.org", "director", org_b)
    assert client_for(other).get(_download(stored["org"])).status_code == 403  # partner staff: no reports
    assert client_for(director_b).get(_download(stored["org"])).status_code == 404
    assert client_for(viewer).get(_download(stored["org"])).status_code == 404
    missing = GeneratedReport.objects.order_by("-pk").first().pk + 1000
    assert (
        client_for(viewer).get(reverse("reports:regional_download", args=[missing, "pdf"])).status_code == 404
    )
    assert client_for(None).get(_download(stored["org"])).status_code == 302


def test_with_an_accel_prefix_nginx_gets_the_path_and_django_sends_no_body(
    stored, client_for, director, viewer, settings
):
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/protected/"
    report = stored["org"]
    response = client_for(director).get(_download(report))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/" + quote(report.pdf.name)
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    refused = client_for(viewer).get(_download(report))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_a_file_gone_from_disk_answers_404_in_both_modes(stored, client_for, director, settings):
    report = stored["org"]
    default_storage.delete(report.pdf.name)
    assert client_for(director).get(_download(report)).status_code == 404
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/protected/"
    response = client_for(director).get(_download(report))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_a_report_not_yet_done_has_no_download(stored, client_for, director):
    GeneratedReport.objects.filter(pk=stored["org"].pk).update(status=GenerationStatus.RUNNING)
    assert client_for(director).get(_download(stored["org"])).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_saves_the_download_under_its_chinese_title(stored, director, page_factory):
    report = stored["org"]
    page = page_factory(director, width=375)
    page.goto(f"{page.base_url}{reverse('reports:regional_list')}")
    for fmt, label, magic in (("pdf", "PDF", b"%PDF"), ("xlsx", "Excel", b"PK")):
        with page.expect_download() as download_info:
            page.click(f"#report-{report.pk} .files a:has-text('{label}')")
        download = download_info.value
        assert download.suggested_filename == f"{report.title}.{fmt}".replace(" ", "-")
        with open(download.path(), "rb") as handle:
            assert handle.read(len(magic)) == magic
