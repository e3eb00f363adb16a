"""Requesting, listing, polling and downloading generated reports; meeting packs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from reports.choices import ReportStatus
from reports.models import GeneratedReport, MeetingReportPack
from reports.regional import generate
from reports.regional.actions import do_attach_meeting_packs, do_request_report
from reports.regional.choices import GenerationStatus, PeriodKind, ReportScope
from reports.tests.factories import make_report

LIST = "reports:regional_list"


def _post(client, **data):
    payload = {"period_kind": "year", "period": "2024-01", "scope": "region"}
    payload.update(data)
    return client.post(reverse(LIST), payload)


def test_hub_staff_request_a_report_and_it_is_queued_after_commit(
    client_for, hub_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(client_for(hub_staff), period="2024-07")
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert (report.period_kind, report.period_start, report.scope) == (
        "year",
        datetime.date(2024, 1, 1),
        "region",
    )
    assert (report.status, report.requested_by) == (GenerationStatus.QUEUED, hub_staff)
    assert len(callbacks) == 1  # the task is sent once the row is committed


def test_the_same_request_while_one_is_queued_or_running_returns_that_one(client_for, hub_staff, viewer):
    first = _post(client_for(hub_staff))
    GeneratedReport.objects.update(status=GenerationStatus.RUNNING, progress=40)
    client = client_for(viewer)
    second = _post(client, period="2024-11")
    assert GeneratedReport.objects.count() == 1
    assert first["Location"] == second["Location"]
    page = client.get(reverse(LIST))
    assert "已在生成中" in page.content.decode()
    # Once it is done, asking again generates a fresh one.
    GeneratedReport.objects.update(status=GenerationStatus.DONE)
    _post(client_for(viewer))
    assert GeneratedReport.objects.count() == 2


def test_the_database_refuses_a_second_active_report_with_the_same_parameters(hub_staff):
    from django.db import IntegrityError, transaction

    do_request_report(by=hub_staff, kind=PeriodKind.QUARTER, start=datetime.date(2024, 4, 1), scope="region")
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedReport.objects.create(
            period_kind="quarter", period_start=datetime.date(2024, 4, 1), scope="region"
        )


def test_a_director_gets_their_own_organisation_whatever_is_posted(client_for, director, org_a, org_b):
    _post(client_for(director), scope="region", organisation=org_b.pk, prefecture="")
    report = GeneratedReport.objects.get()
    assert (report.scope, report.organisation) == (ReportScope.ORGANISATION, org_a)


def test_viewers_cannot_ask_for_an_organisation_and_bad_periods_are_refused_in_chinese(
    client_for, viewer, org_a
):
    response = _post(client_for(viewer), scope="organisation", organisation=org_a.pk)
    assert response.status_code == 400
    this_year = timezone.localdate().strftime("%Y-%m")
    response = _post(client_for(viewer), period=this_year)
    assert response.status_code == 400
    assert "该周期尚未结束" in response.content.decode()
    response = _post(client_for(viewer), scope="prefecture")
    assert "请选择地市" in response.content.decode()
    assert not GeneratedReport.objects.exists()


@pytest.fixture
def done_report(media_root, org_a, centre_a, director):
    make_report(org_a, datetime.date(2024, 5, 1), status=ReportStatus.APPROVED)
    report, _created = do_request_report(
        by=director, kind=PeriodKind.MONTH, start=datetime.date(2024, 5, 1), scope="organisation"
    )
    assert generate.run(report.pk) == "done"
    report.refresh_from_db()
    return report


def test_a_finished_report_has_both_files_and_notifies_the_requester(done_report, director):
    assert done_report.status == GenerationStatus.DONE and done_report.progress == 100
    assert done_report.pdf.read()[:4] == b"%PDF"
    assert done_report.xlsx.read()[:2] == b"PK"
    notification = Notification.objects.get(recipient=director)
    assert notification.kind == "reports.regional_ready"
    assert "已生成" in notification.subject
    # Run again: a done report is left alone.
    assert generate.run(done_report.pk) == "already done"
    assert Notification.objects.count() == 1


def test_downloads_are_checked_every_time_and_guessed_urls_give_404(
    done_report, client_for, director, hub_staff, viewer, make_user, org_b
):
    pdf = reverse("reports:regional_download", args=[done_report.pk, "pdf"])
    xlsx = reverse("reports:regional_download", args=[done_report.pk, "xlsx"])
    response = client_for(director).get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert client_for(hub_staff).get(xlsx).status_code == 200
    director_b = make_user("director-b@example.org", "director", org_b)
    assert client_for(director_b).get(pdf).status_code == 404
    assert client_for(viewer).get(pdf).status_code == 404
    assert (
        client_for(director)
        .get(reverse("reports:regional_download", args=[done_report.pk, "doc"]))
        .status_code
        == 404
    )
    # The stored file is not under a public URL the app serves.
    assert not done_report.pdf.name.startswith("/")


def test_the_status_json_gives_progress_and_file_links(done_report, client_for, director):
    data = client_for(director).get(reverse("reports:regional_status", args=[done_report.pk])).json()
    assert data["status"] == "done" and data["progress"] == 100
    assert data["files"]["pdf"].endswith("/pdf/")


def test_the_list_shows_status_percent_reason_and_requester(client_for, hub_staff, viewer):
    running, _ = do_request_report(by=viewer, kind="quarter", start=datetime.date(2024, 1, 1), scope="region")
    GeneratedReport.objects.filter(pk=running.pk).update(status="running", progress=45)
    failed, _ = do_request_report(by=hub_staff, kind="month", start=datetime.date(2024, 1, 1), scope="region")
    GeneratedReport.objects.filter(pk=failed.pk).update(status="failed", failure_reason="磁盘已满")
    html = client_for(hub_staff).get(reverse(LIST)).content.decode()
    assert '生成中 <span class="pct">45</span>%' in html
    assert "磁盘已满" in html
    assert viewer.full_name in html
    assert "2024年第1季度" in html


def test_the_list_shows_thirty_reports_a_page(client_for, hub_staff):
    GeneratedReport.objects.bulk_create(
        GeneratedReport(
            period_kind="month", period_start=datetime.date(2020 + n // 12, n % 12 + 1, 1), scope="region"
        )
        for n in range(31)
    )
    client = client_for(hub_staff)
    first = client.get(reverse(LIST))
    assert len(first.context["reports"]) == 30
    assert "page=2" in first.content.decode()
    assert len(client.get(reverse(LIST), {"page": 2}).context["reports"]) == 1


def test_a_failed_generation_records_the_reason(media_root, hub_staff, monkeypatch):
    report, _ = do_request_report(by=hub_staff, kind="month", start=datetime.date(2024, 1, 1), scope="region")

    def broken(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(generate, "write_pdf", broken)
    assert generate.run(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == GenerationStatus.FAILED
    assert "no space left" in report.failure_reason


def _meeting(kind, starts_at):
    from meetings.models import Meeting

    return Meeting.objects.create(
        kind=kind,
        title=f"{kind} {starts_at:%m-%d}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
    )


def test_directors_and_regional_meetings_get_their_pack_a_week_before(
    hub_staff, client_for, django_capture_on_commit_callbacks
):
    now = timezone.make_aware(datetime.datetime(2025, 3, 5, 8, 0))
    quarterly = _meeting("quarterly_directors", now + datetime.timedelta(days=6))
    later = _meeting("quarterly_directors", now + datetime.timedelta(days=30))
    monthly = _meeting("monthly_topic", now + datetime.timedelta(days=3))
    regional = _meeting("half_year_regional", now + datetime.timedelta(days=7))

    with django_capture_on_commit_callbacks() as callbacks:
        packs = do_attach_meeting_packs(now)
    assert {p.meeting for p in packs} == {quarterly, regional}
    assert len(callbacks) == 2
    assert do_attach_meeting_packs(now) == []  # idempotent
    quarter = MeetingReportPack.objects.get(meeting=quarterly).report
    assert (quarter.period_kind, quarter.period_start) == ("quarter", datetime.date(2024, 10, 1))
    half = MeetingReportPack.objects.get(meeting=regional).report
    assert (half.period_kind, half.period_start) == ("half_year", datetime.date(2024, 7, 1))
    assert not MeetingReportPack.objects.filter(meeting__in=[later, monthly]).exists()

    page = client_for(hub_staff).get(reverse("meetings:meeting_detail", args=[quarterly.pk])).content.decode()
    assert 'id="report-pack"' in page and "2024年第4季度" in page


def test_the_beat_schedule_migration_adds_the_daily_pack_task_once():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("reports.migrations.0004_meeting_pack_schedule")
    # A transactional test elsewhere may have flushed what the migration added; run it twice more.
    migration.add_schedule(apps, None)
    migration.add_schedule(apps, None)
    task = PeriodicTask.objects.get(task="reports.attach_meeting_packs")
    assert task.enabled and task.crontab.hour == "6" and task.crontab.minute == "30"
