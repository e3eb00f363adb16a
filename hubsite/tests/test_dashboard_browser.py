import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expected_hub_dashboard():
    """What hub staff must read on the home page, counted from the database row by row: last month's
    reports (expected, on time, late, missing; waiting for review), the next 14 days' meetings with
    their replies, overdue action items, reminders that failed and the mutual-aid queues."""
    import datetime

    from django.utils import timezone

    from hubsite.core.models import Notification
    from meetings.choices import UPCOMING_STATUSES, Rsvp
    from meetings.models import ActionItem, Meeting
    from mutualaid.choices import ApplicationStatus, VisitStatus, WaitStatus
    from mutualaid.models import CoachingRequest, ExpansionFundingApplication, StudyVisit
    from partners.models import Centre, Organisation
    from reports import periods
    from reports.choices import WAITING_STATUSES
    from reports.models import MonthlyReport

    now = timezone.now()
    today = timezone.localdate()
    month = periods.add_months(periods.first_of(today), -1)
    due = periods.due_date(month)
    operating = set(
        Centre.objects.operating_in_month(month, periods.last_of(month)).values_list(
            "organisation", flat=True
        )
    )
    expected = [org.pk for org in Organisation.objects.active() if org.pk in operating]
    handed_in = {
        report.organisation_id: timezone.localdate(report.first_submitted_at)
        for report in MonthlyReport.objects.filter(month=month, first_submitted_at__isnull=False)
    }
    on_time = [pk for pk in expected if pk in handed_in and handed_in[pk] <= due]
    late = [pk for pk in expected if pk in handed_in and handed_in[pk] > due]
    fortnight = Meeting.objects.filter(
        status__in=UPCOMING_STATUSES, starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=14)
    ).order_by("starts_at")
    return {
        "month": f"{month:%Y-%m}",
        "expected": len(expected),
        "waiting": MonthlyReport.objects.filter(status__in=WAITING_STATUSES).count(),
        "on_time": len(on_time),
        "late": len(late),
        "missing": len(expected) - len(on_time) - len(late),
        "meetings": [
            (
                meeting.title,
                f"已邀请 {meeting.invitations.count()} 人，"
                f"{meeting.invitations.filter(rsvp=Rsvp.ACCEPTED).count()} 人参加，"
                f"{meeting.invitations.filter(rsvp=Rsvp.DECLINED).count()} 人不参加",
            )
            for meeting in fortnight
        ],
        "overdue_items": ActionItem.objects.open().filter(due_on__lt=today).count(),
        "failed_reminders": Notification.objects.filter(email_status=Notification.EmailStatus.FAILED).count(),
        "applications": ExpansionFundingApplication.objects.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
        ).count(),
        "visits": StudyVisit.objects.filter(status=VisitStatus.REQUESTED).count(),
        "coaching": CoachingRequest.objects.filter(status=WaitStatus.WAITING).count(),
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_the_hub_dashboard_shows_the_networks_numbers_with_links(demo, page_factory, screenshot, width):
    expected = _expected_hub_dashboard()
    # Every partner of the demo reported last month in some way, so a box stuck at zero fails here.
    assert expected["expected"] >= 9
    page = page_factory(demo["staff@example.org"], width=width)
    page.goto(page.base_url + "/")

    reports_box = page.locator(".card", has=page.locator("#waiting-count")).inner_text()
    assert f"{expected['month']}：应提交的机构共 {expected['expected']} 家" in reports_box
    for box, key in (
        ("#waiting-count", "waiting"),
        ("#on-time-count", "on_time"),
        ("#late-count", "late"),
        ("#missing-count", "missing"),
        ("#overdue-items", "overdue_items"),
        ("#failed-reminders", "failed_reminders"),
    ):
        assert page.inner_text(box) == str(expected[key]), box

    rows = page.locator("#panel-fortnight li")
    if not expected["meetings"]:  # the demo's meetings follow the calendar: some fortnights have none
        assert rows.inner_text() == "未来 14 天没有会议。"
    assert rows.count() == max(1, len(expected["meetings"]))
    for i, (title, replies) in enumerate(expected["meetings"]):
        row = rows.nth(i).inner_text()
        assert title in row and replies in row, (row, title, replies)

    mutualaid = page.inner_text("#mutualaid-panel")
    assert f"{expected['applications']} 份拓点经费申请待处理" in mutualaid
    assert f"{expected['visits']} 次走访学习待审批" in mutualaid
    assert f"{expected['coaching']} 位负责人在排队等候个人教练" in mutualaid
    screenshot(page, f"dashboard-hub-{width}")

    page.locator("#missing-count").click()
    page.wait_for_url("**/reports/grid/**")


def _expected_partner_home(partner):
    """What the partner's home must tell her, from the database: last month's report (due date, state,
    days overdue) and what her organisation still lacks for the mutual-aid group."""
    from django.utils import timezone, translation

    from mutualaid.criteria import evaluate_all
    from mutualaid.models import EligibilityPolicy
    from partners.models import Organisation
    from reports import periods
    from reports.models import MonthlyReport

    today = timezone.localdate()
    month = periods.add_months(periods.first_of(today), -1)
    due = periods.due_date(month)
    report = MonthlyReport.objects.filter(organisation=partner.organisation, month=month).first()
    handed_in = report is not None and report.first_submitted_at is not None
    with translation.override("zh-hans"):
        (evaluation,) = evaluate_all(
            Organisation.objects.filter(pk=partner.organisation_id),
            policy=EligibilityPolicy.objects.current(),
        )
        missing = [str(r.label) for r in evaluation.results if r.required and r.status != "met"]
        return {
            "month": f"{month:%Y-%m}",
            "due": f"截止日期：{due:%Y-%m-%d}。",
            "days_late": 0 if handed_in else max(0, (today - due).days),
            "state": str(report.get_status_display()) if report else "填写本月报",
            "missing": missing,
        }


def test_a_partner_home_shows_the_report_to_fill_and_the_checklist(demo, page_factory, screenshot):
    partner = demo["partner@example.org"]
    expected = _expected_partner_home(partner)
    page = page_factory(partner, width=375)
    page.goto(page.base_url + "/")
    # The report due now comes first, in the box of what is due (本月月报).
    report_box = page.inner_text("#due-first #due-this-month")
    assert "本月月报" in report_box and expected["month"] in report_box
    assert expected["due"] in report_box
    assert expected["state"] in report_box
    if expected["days_late"]:
        assert f"已逾期 {expected['days_late']} 天" in report_box
    else:
        assert "已逾期" not in report_box
    checklist = page.inner_text("#mutualaid-panel")
    if expected["missing"]:
        assert f"还缺 {len(expected['missing'])} 项条件" in checklist
        for label in expected["missing"]:
            assert label in checklist
    else:
        assert "贵机构符合区域互助支持小组的入组政策" in checklist
    assert page.locator("#mutualaid-panel a", has_text="查看清单").count() == 1
    # The network's figures are for hub staff only.
    for box in ("#waiting-count", "#missing-count", "#panel-fortnight", "#failed-reminders"):
        assert page.locator(box).count() == 0, box
    screenshot(page, "dashboard-partner-375")
