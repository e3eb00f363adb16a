"""Stale report jobs: a heartbeat, a sweep that marks a stopped job failed with a visible reason, a
new job when someone asks again or retries, and one notification per job.

Times are offsets from a fixed clock (the sweep takes ``now``), except where the request itself
stamps the real time, and there only offsets from it are used.
"""

import datetime

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from reports.choices import ReportStatus
from reports.models import GENERATION_LOCK, GeneratedReport, MeetingReportPack
from reports.regional import generate
from reports.regional.actions import do_request_report
from reports.regional.choices import GenerationStatus
from reports.regional.tasks import fail_stale_regional_reports
from reports.tests.factories import make_report

NOW = timezone.make_aware(datetime.datetime(2025, 6, 2, 10, 0))
LIST = "reports:regional_list"


def _minutes(n):
    return datetime.timedelta(minutes=n)


def _report(status, *, by=None, requested=None, beat=None, progress=0, start=datetime.date(2024, 1, 1)):
    return GeneratedReport.objects.create(
        period_kind="quarter",
        period_start=start,
        scope="region",
        status=status,
        progress=progress,
        requested_by=by,
        requested_at=requested or NOW - _minutes(60),
        started_at=beat,
        progress_at=beat,
    )


def _failed_notifications(user):
    return Notification.objects.filter(recipient=user, kind="reports.regional_failed")


def test_a_running_report_silent_past_the_deadline_is_marked_failed_with_a_chinese_reason(hub_staff):
    report = _report("running", by=hub_staff, beat=NOW - _minutes(16), progress=45)

    assert GeneratedReport.objects.fail_stale(NOW) == [report.pk]
    report.refresh_from_db()
    assert report.status == GenerationStatus.FAILED
    assert report.failure_reason.startswith("生成中断：超过 15 分钟没有进展")
    assert "45%" in report.failure_reason
    assert report.finished_at == NOW
    notification = _failed_notifications(hub_staff).get()
    assert notification.subject == f"区域报告生成失败：{report.title}"
    assert report.failure_reason in notification.body
    assert notification.url.endswith(f"#report-{report.pk}")
    # A second sweep finds nothing and tells nobody again.
    assert GeneratedReport.objects.fail_stale(NOW + _minutes(10)) == []
    assert _failed_notifications(hub_staff).count() == 1


def test_a_recent_heartbeat_and_a_queued_report_within_its_longer_deadline_are_left_alone(hub_staff):
    running = _report("running", by=hub_staff, beat=NOW - _minutes(14))
    queued = _report("queued", by=hub_staff, requested=NOW - _minutes(89), start=datetime.date(2024, 4, 1))
    forgotten = _report("queued", by=hub_staff, requested=NOW - _minutes(91), start=datetime.date(2024, 7, 1))
    done = _report("done", by=hub_staff, beat=NOW - _minutes(600), start=datetime.date(2024, 10, 1))

    assert GeneratedReport.objects.fail_stale(NOW) == [forgotten.pk]
    statuses = dict(GeneratedReport.objects.values_list("pk", "status"))
    assert statuses == {running.pk: "running", queued.pk: "queued", forgotten.pk: "failed", done.pk: "done"}
    forgotten.refresh_from_db()
    assert forgotten.failure_reason.startswith("生成中断：90 分钟内没有开始")


def test_the_deadlines_come_from_the_settings(settings, hub_staff):
    settings.REGIONAL_REPORT_STALE_MINUTES = 5
    report = _report("running", by=hub_staff, beat=NOW - _minutes(6))
    assert GeneratedReport.objects.fail_stale(NOW) == [report.pk]
    report.refresh_from_db()
    assert "超过 5 分钟" in report.failure_reason


def test_a_report_whose_run_still_holds_the_lock_is_left_until_past_the_task_time_limit(settings, hub_staff):
    settings.CELERY_TASK_TIME_LIMIT = 30 * 60
    report = _report("running", by=hub_staff, beat=NOW - _minutes(20))
    # A live run: another database session holds the report's advisory lock.
    run_session = connections.create_connection("default")
    try:
        with run_session.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [GENERATION_LOCK, report.pk])
        assert GeneratedReport.objects.fail_stale(NOW) == []
        assert GeneratedReport.objects.get(pk=report.pk).status == "running"
        # Silent for longer than the hard time limit plus the deadline: failed even so.
        assert GeneratedReport.objects.fail_stale(NOW + _minutes(26)) == [report.pk]
    finally:
        run_session.close()
    assert _failed_notifications(hub_staff).count() == 1


def test_the_beat_task_marks_stale_reports_and_says_how_many(hub_staff):
    _report("running", by=hub_staff, beat=NOW - _minutes(30))
    assert fail_stale_regional_reports(now=NOW.isoformat()) == 1
    assert fail_stale_regional_reports(now=NOW.isoformat()) == 0


@pytest.fixture
def data(media_root, indicators, org_a, centre_a):
    make_report(org_a, datetime.date(2024, 3, 1), status=ReportStatus.APPROVED)


def test_a_run_beats_when_it_starts_and_at_every_step(data, hub_staff, monkeypatch):
    report, _ = do_request_report(
        by=hub_staff, kind="quarter", start=datetime.date(2024, 1, 1), scope="region"
    )
    seen = []
    real_write_pdf = generate.write_pdf

    def watching(content, path):
        seen.append(GeneratedReport.objects.values("progress", "progress_at", "started_at").get(pk=report.pk))
        return real_write_pdf(content, path)

    monkeypatch.setattr(generate, "write_pdf", watching)
    assert generate.run(report.pk) == "done"
    report.refresh_from_db()
    (during,) = seen
    assert during["progress"] == 45
    assert during["started_at"] < during["progress_at"] <= report.progress_at
    assert report.progress_at <= report.finished_at


def test_a_task_delivered_again_leaves_a_report_marked_failed_as_it_is(data, hub_staff, media_root):
    report = _report("running", by=hub_staff, beat=timezone.now() - _minutes(16), progress=25)
    GeneratedReport.objects.fail_stale()

    assert generate.run(report.pk) == "already failed"
    report.refresh_from_db()
    assert report.status == GenerationStatus.FAILED and report.attempts == 0
    assert not report.pdf and not (media_root / "regional-reports" / str(report.pk)).exists()
    assert list(Notification.objects.values_list("kind", flat=True)) == ["reports.regional_failed"]


def test_a_run_overtaken_by_the_sweep_stops_and_stores_nothing(data, hub_staff, media_root, monkeypatch):
    report, _ = do_request_report(
        by=hub_staff, kind="quarter", start=datetime.date(2024, 1, 1), scope="region"
    )
    real_write_xlsx = generate.write_xlsx

    def meanwhile_marked_failed(content, path):
        real_write_xlsx(content, path)
        GeneratedReport.objects.filter(pk=report.pk).update(status="failed", failure_reason="生成中断：测试")

    monkeypatch.setattr(generate, "write_xlsx", meanwhile_marked_failed)
    assert generate.run(report.pk) == "interrupted"
    report.refresh_from_db()
    assert (report.status, report.failure_reason, report.progress) == ("failed", "生成中断：测试", 25)
    assert not report.pdf and not report.xlsx
    assert not Notification.objects.filter(kind="reports.regional_ready").exists()


def test_a_run_overtaken_after_its_last_step_deletes_the_files_it_stored(
    data, hub_staff, media_root, monkeypatch
):
    report, _ = do_request_report(
        by=hub_staff, kind="quarter", start=datetime.date(2024, 1, 1), scope="region"
    )
    real_progress = generate._progress

    def last_step_then_marked_failed(run_report, percent):
        real_progress(run_report, percent)
        if percent == 90:
            GeneratedReport.objects.filter(pk=report.pk).update(status="failed")

    monkeypatch.setattr(generate, "_progress", last_step_then_marked_failed)
    assert generate.run(report.pk) == "interrupted"
    folder = media_root / "regional-reports" / str(report.pk)
    assert list(folder.iterdir()) == []
    assert GeneratedReport.objects.get(pk=report.pk).status == "failed"
    assert not Notification.objects.filter(kind="reports.regional_ready").exists()


def test_a_failed_run_tells_the_requester_once_and_is_not_run_again(data, director, monkeypatch):
    report, _ = do_request_report(
        by=director, kind="month", start=datetime.date(2024, 3, 1), scope="organisation"
    )

    def broken(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(generate, "write_pdf", broken)
    assert generate.run(report.pk) == "failed"
    assert generate.run(report.pk) == "already failed"
    report.refresh_from_db()
    assert report.failure_reason == "生成失败：OSError: no space left on device"
    assert report.attempts == 1
    notification = _failed_notifications(director).get()
    assert "未能生成" in notification.body
    assert not Notification.objects.filter(kind="reports.regional_ready").exists()


def test_asking_again_for_a_stale_report_marks_it_failed_and_starts_a_new_job(
    client_for, hub_staff, django_capture_on_commit_callbacks
):
    client = client_for(hub_staff)
    payload = {"period_kind": "year", "period": "2024-01", "scope": "region"}
    client.post(reverse(LIST), payload)
    stuck = GeneratedReport.objects.get()
    GeneratedReport.objects.filter(pk=stuck.pk).update(
        status="running", progress=45, progress_at=timezone.now() - _minutes(16)
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(LIST), payload)
    new = GeneratedReport.objects.exclude(pk=stuck.pk).get()
    assert response["Location"].endswith(f"#report-{new.pk}")
    assert new.status == "queued" and new.requested_by == hub_staff
    assert len(callbacks) >= 1  # the new job is sent once the row is committed
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.failure_reason.startswith("生成中断")
    page = client.get(reverse(LIST)).content.decode()
    assert "生成中断：超过 15 分钟没有进展" in page
    assert '<span class="badge text-bg-danger">失败</span>' in page  # not the e-mail's 发送失败


def test_asking_again_after_a_failure_starts_a_new_job_and_moves_the_meeting_pack(hub_staff):
    from meetings.models import Meeting

    failed = _report("failed", start=datetime.date(2024, 10, 1))
    meeting = Meeting.objects.create(
        kind="quarterly_directors",
        title="季度主任会",
        starts_at=NOW + datetime.timedelta(days=5),
        ends_at=NOW + datetime.timedelta(days=5, hours=3),
    )
    MeetingReportPack.objects.create(meeting=meeting, report=failed)

    new, created = do_request_report(
        by=hub_staff, kind="quarter", start=datetime.date(2024, 10, 1), scope="region"
    )
    assert created and new.pk != failed.pk and new.status == "queued"
    assert MeetingReportPack.objects.get(meeting=meeting).report == new
    again, created = do_request_report(
        by=hub_staff, kind="quarter", start=datetime.date(2024, 10, 1), scope="region"
    )
    assert (again, created) == (new, False)


def _retry(client, report):
    return client.post(reverse("reports:regional_retry", args=[report.pk]))


def test_the_requester_and_the_hub_can_generate_a_failed_report_again(client_for, director, hub_staff, org_a):
    failed = GeneratedReport.objects.create(
        period_kind="month",
        period_start=datetime.date(2024, 3, 1),
        scope="organisation",
        organisation=org_a,
        status="failed",
        failure_reason="生成中断：测试",
        requested_by=director,
    )
    client = client_for(director)
    page = client.get(reverse(LIST)).content.decode()
    assert f'action="{reverse("reports:regional_retry", args=[failed.pk])}"' in page
    assert "重新生成" in page

    response = _retry(client, failed)
    new = GeneratedReport.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"#report-{new.pk}")
    assert (new.status, new.organisation, new.requested_by) == ("queued", org_a, director)
    assert (new.period_kind, new.period_start) == ("month", datetime.date(2024, 3, 1))
    assert GeneratedReport.objects.get(pk=failed.pk).status == "failed"  # kept, with its reason
    # The hub retrying the same failed report meanwhile gets the job already queued.
    assert _retry(client_for(hub_staff), failed)["Location"].endswith(f"#report-{new.pk}")
    assert GeneratedReport.objects.count() == 2


def test_someone_else_who_may_see_a_failed_report_cannot_retry_it_nor_retry_a_done_one(
    client_for, viewer, make_user, hub_staff
):
    other_viewer = make_user("viewer2@example.org", "viewer")
    failed = _report("failed", by=other_viewer)
    client = client_for(viewer)
    page = client.get(reverse(LIST)).content.decode()
    assert f"/regional/{failed.pk}/retry/" not in page
    assert _retry(client, failed).status_code == 403
    done = _report("done", by=viewer, start=datetime.date(2024, 4, 1))
    response = _retry(client, done)
    assert response.status_code == 302
    assert GeneratedReport.objects.count() == 2
    assert _retry(client_for(hub_staff), failed).status_code == 302
    assert GeneratedReport.objects.count() == 3


def test_the_list_page_asks_the_same_number_of_queries_with_failed_reports(
    client_for, hub_staff, director, django_assert_num_queries
):
    client = client_for(hub_staff)
    _report("failed", by=director)
    client.get(reverse(LIST))  # warm the session and caches
    with django_assert_num_queries(8) as one:
        client.get(reverse(LIST))
    for month in (4, 7, 10):
        _report("failed", by=hub_staff, start=datetime.date(2024, month, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(LIST))


def test_the_beat_schedule_migration_adds_the_stale_sweep_once():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("reports.migrations.0006_report_heartbeat")
    migration.add_schedule(apps, None)
    migration.add_schedule(apps, None)
    task = PeriodicTask.objects.get(task="reports.fail_stale_regional_reports")
    assert task.enabled and (task.interval.every, task.interval.period) == (2, "minutes")


@pytest.mark.browser
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_director_sees_why_a_stale_report_failed_and_generates_it_again_on_a_phone(
    data, regional_worker, media_root, page_factory, screenshot, director, org_a
):
    stuck = GeneratedReport.objects.create(
        period_kind="quarter",
        period_start=datetime.date(2024, 1, 1),
        scope="organisation",
        organisation=org_a,
        status="running",
        progress=45,
        requested_by=director,
        progress_at=timezone.now() - _minutes(20),
    )
    assert GeneratedReport.objects.fail_stale() == [stuck.pk]
    page = page_factory(director, width=375)
    page.goto(f"{page.base_url}/reports/regional/")
    row = f"#report-{stuck.pk}"
    assert page.inner_text(f"{row} .badge") == "失败"
    assert "生成中断：超过 15 分钟没有进展（停在 45%" in page.inner_text(f"{row} .failure-reason")
    screenshot(page, "regional-stale-1-failed-375")
    page.click(f"{row} button.retry")
    page.wait_for_selector("text=已重新排队生成")
    new = GeneratedReport.objects.exclude(pk=stuck.pk).get()
    page.wait_for_selector(f"#report-{new.pk} .files a:has-text('PDF')", timeout=120_000)
    assert "已完成" in page.inner_text(f"#report-{new.pk}")
    assert "失败" in page.inner_text(row)  # the failed job stays, with its reason
    screenshot(page, "regional-stale-2-retried-375")
