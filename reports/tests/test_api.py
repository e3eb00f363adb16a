import datetime

from django.utils import timezone

from reports.api import recent_difficulties
from reports.models import Indicator, MonthlyReport, ReportValue


def _difficulty(org, month, text, status="submitted"):
    report = MonthlyReport.objects.create(organisation=org, month=month, status=status)
    ReportValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="difficulties"), month=month, text=text
    )


def test_topic_ideas_come_from_handed_in_reports_the_user_may_read(org_a, org_b, partner, hub_staff):
    month = datetime.date(2026, 9, 1)
    _difficulty(org_a, month, "家长参与度低")
    _difficulty(org_b, month, "场地租金上涨")
    _difficulty(org_b, datetime.date(2026, 8, 1), "草稿里的内容", status="draft")
    since = datetime.date(2026, 7, 1)

    assert {i["text"] for i in recent_difficulties(hub_staff, since)} == {"家长参与度低", "场地租金上涨"}
    # Reports are internal: org A's host sees only org A's own difficulties.
    assert [i["text"] for i in recent_difficulties(partner, since)] == ["家长参与度低"]


def test_the_topic_page_lists_the_hosts_own_ideas(client_for, partner, org_a, org_b, hub_staff):
    from meetings.choices import MeetingKind
    from meetings.models import Meeting

    # Last month is always inside the topic page's look-back window, whatever today is.
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    _difficulty(org_a, last_month, "家长参与度低")
    _difficulty(org_b, last_month, "场地租金上涨")
    start = timezone.now() + datetime.timedelta(days=20)
    meeting = Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title="月度小议题",
        host=org_a,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        year=start.year,
        sequence=99,
    )
    page = client_for(partner).get(f"/meetings/{meeting.pk}/topic/").content.decode()
    assert "家长参与度低" in page and "场地租金上涨" not in page
