"""The monthly-report reminder ladder, driven by the sweep's ``now`` (no waiting for days).

March 2024 is due on 2024-04-05: before on 04-02, due on 04-05, the director on 04-08, hub staff
(one digest) on 04-12.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from hubsite.core.models import Notification
from hubsite.core.notifications.tasks import send_pending_notification_emails
from reports import reminders
from reports.tests.factories import make_report, submitted

MARCH = datetime.date(2024, 3, 1)
MARCH_KEY_A = "partners.organisation:{}:2024-03"


def at(day: str, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def sent(user=None, **filters):
    rows = Notification.objects.filter(**filters)
    if user is not None:
        rows = rows.filter(recipient=user)
    return sorted(rows.values_list("kind", "step"))


@pytest.fixture
def network(org_a, org_b, centre_a, centre_b, partner, director, other, hub_staff, hub_admin, settings):
    """Two organisations expected to report for March, with their people and the hub's.

    The centres opened in 2022, so February is missing too: a 10-day stale limit keeps February's
    ladder out of March's tests (its last step, the digest of 03-12, is stale by 04-01).
    """
    settings.REPORT_REMINDER_STALE_DAYS = 10


def test_nothing_is_sent_before_the_ladder_starts(network):
    reminders.sweep(at("2024-04-01"))
    assert Notification.objects.count() == 0


def test_three_days_before_partner_staff_of_organisations_not_handed_in_are_reminded(
    network, org_b, partner, other, director
):
    submitted(org_b, MARCH)
    reminders.sweep(at("2024-04-02"))
    assert sent(partner) == [("reports.due", "before")]
    assert sent(other) == []  # org B handed in
    assert sent(director) == []  # the director comes in only when the report is late
    assert Notification.objects.get(recipient=partner).object_key == MARCH_KEY_A.format(
        partner.organisation_id
    )


def test_a_sweep_run_twice_creates_each_reminder_once(network, partner, other):
    first = reminders.sweep(at("2024-04-02"))
    second = reminders.sweep(at("2024-04-02", hour=9))
    assert first["before"] == 2
    assert second["before"] == 0
    assert Notification.objects.count() == 2


def test_on_the_due_date_the_same_people_are_reminded_again(network, partner):
    reminders.sweep(at("2024-04-02"))
    reminders.sweep(at("2024-04-05"))
    assert sent(partner) == [("reports.due", "before"), ("reports.due", "due")]


def test_a_missed_beat_still_sends_the_due_reminder_but_not_the_stale_before_one(network, partner):
    reminders.sweep(at("2024-04-06"))  # no sweep ran on 04-02 .. 04-05
    assert sent(partner) == [("reports.due", "due")]


def test_three_days_late_the_director_is_reminded_and_a_late_sweep_catches_up(
    network, partner, director, other
):
    reminders.sweep(at("2024-04-09"))  # the first sweep for weeks: due and late-director at once
    assert sent(director) == [("reports.late", "late-director")]
    assert sent(partner) == [("reports.due", "due")]
    reminders.sweep(at("2024-04-10"))
    assert Notification.objects.filter(recipient=director).count() == 1


def test_seven_days_late_each_hub_staff_member_gets_one_digest_of_all_late_organisations(
    network, org_a, org_b, hub_staff, hub_admin, partner
):
    reminders.sweep(at("2024-04-12"))
    reminders.sweep(at("2024-04-13"))
    for person in (hub_staff, hub_admin):
        digest = Notification.objects.get(recipient=person)
        assert (digest.kind, digest.step, digest.object_key) == (
            "reports.late_digest",
            "late-digest",
            "reports.month:2024-03",
        )
        assert org_a.name in digest.body and org_b.name in digest.body
        assert "/reports/grid/" in digest.url


def test_the_digest_lists_only_organisations_still_late(network, org_a, org_b, hub_staff):
    submitted(org_b, MARCH, days_after_due=5)
    reminders.sweep(at("2024-04-12"))
    digest = Notification.objects.get(recipient=hub_staff)
    assert org_a.name in digest.body
    assert org_b.name not in digest.body


def test_a_draft_is_still_late_and_a_submitted_report_stops_the_ladder(network, org_a, org_b, partner, other):
    make_report(org_a, MARCH)  # started, not handed in
    reminders.sweep(at("2024-04-02"))
    assert sent(partner) == [("reports.due", "before")]
    submitted(org_b, MARCH, days_after_due=-2)
    reminders.sweep(at("2024-04-05"))
    assert sent(other) == [("reports.due", "before")]  # nothing after org B handed in


def test_steps_older_than_the_stale_limit_are_not_sent(network):
    # 04-20: the due step (04-05) and the director's (04-08) are more than 10 days old, the digest
    # (04-12) is not.
    reminders.sweep(at("2024-04-20"))
    assert set(Notification.objects.values_list("step", flat=True)) == {"late-digest"}
    Notification.objects.all().delete()
    reminders.sweep(at("2024-04-25"))
    assert Notification.objects.count() == 0


def test_offsets_are_settings(network, partner, settings):
    settings.REPORT_DUE_DAY = 10
    settings.REPORT_REMINDER_DAYS_BEFORE = 5
    reminders.sweep(at("2024-04-04"))
    assert sent(partner) == []
    reminders.sweep(at("2024-04-05"))
    assert sent(partner) == [("reports.due", "before")]


def test_organisations_without_an_operating_centre_are_not_reminded(org_a, partner, make_centre):
    make_centre(org_a, "四月才开的亲子园", datetime.date(2024, 4, 1))
    reminders.sweep(at("2024-04-05"))
    assert Notification.objects.count() == 0


def test_a_returned_report_reminds_its_editors_after_three_days_and_again_after_a_second_return(
    network, org_a, partner, director, hub_staff
):
    from reports.models import ReportEvent

    report = make_report(org_a, MARCH, by=partner)
    submitted_at = at("2024-04-03")
    report.submit(by=partner)
    report.return_for_revision(by=hub_staff, comment="请核对到访人次")
    first_return = report.events.get(action="returned")
    ReportEvent.objects.filter(pk=first_return.pk).update(at=submitted_at)

    reminders.sweep(at("2024-04-05"))  # two days after the return: not yet
    assert Notification.objects.filter(kind="reports.returned").count() == 0
    reminders.sweep(at("2024-04-06", hour=9))
    reminders.sweep(at("2024-04-07"))
    reminded = Notification.objects.get(kind="reports.returned")
    assert reminded.recipient == partner  # the editor, not the director
    assert reminded.step == f"returned:{first_return.pk}"
    assert "请核对到访人次" in reminded.body
    assert reminded.url == f"/reports/{report.pk}/edit/"

    report.refresh_from_db()
    report.submit(by=partner)
    report.return_for_revision(by=hub_staff, comment="还有一处")
    second_return = report.events.filter(action="returned").order_by("-pk").first()
    ReportEvent.objects.filter(pk=second_return.pk).update(at=at("2024-04-10"))
    reminders.sweep(at("2024-04-13", hour=9))
    assert sorted(
        Notification.objects.filter(kind="reports.returned").values_list("step", flat=True)
    ) == sorted([f"returned:{first_return.pk}", f"returned:{second_return.pk}"])


def test_reminder_emails_are_in_chinese_with_a_link_to_the_report_form(network, partner):
    reminders.sweep(at("2024-04-05"))
    assert send_pending_notification_emails(older_than_seconds=0) == 2
    message = next(m for m in mail.outbox if m.to == [partner.email])
    assert "月报" in message.subject
    assert "http://" in message.body and "/reports/" in message.body
    html = message.alternatives[0][0]
    assert "月报" in html and "/reports/" in html


def test_a_person_who_turned_off_a_kind_still_gets_the_required_report_reminders(network, partner):
    from hubsite.core.models import NotificationPreference

    NotificationPreference.objects.create(user=partner, kind="reports.due", email_enabled=False)
    reminders.sweep(at("2024-04-05"))
    assert Notification.objects.get(recipient=partner).email_status == Notification.EmailStatus.PENDING


def test_a_person_who_turned_off_the_hub_digest_sees_it_listed_but_not_emailed(network, hub_staff):
    from hubsite.core.models import NotificationPreference

    NotificationPreference.objects.create(user=hub_staff, kind="reports.late_digest", email_enabled=False)
    reminders.sweep(at("2024-04-12"))
    assert Notification.objects.get(recipient=hub_staff).email_status == Notification.EmailStatus.SKIPPED
