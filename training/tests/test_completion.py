"""Completion follows the module's rules; it issues a certificate whose PDF names the person and
module and whose public verification page shows nothing beyond name, module and date."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from training import actions
from training.choices import ApplicationStatus
from training.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(module, partner, make_application):
    return make_application(module, partner, status=ApplicationStatus.SELECTED, score=80)


def ready(learner, hub_staff, ratings=("4.5", "4", "5")):
    record = actions.do_log_practice(
        learner, by=learner.applicant, served_on=timezone.localdate(), description="家长小组"
    )
    actions.do_confirm_practice(record, by=hub_staff)
    actions.do_rate(
        learner,
        by=hub_staff,
        **dict(zip(("learner", "supervisor", "parent"), map(Decimal, ratings), strict=True)),
    )


def test_a_learner_short_of_the_rules_does_not_complete(learner, hub_staff):
    with pytest.raises(ValidationError) as error:
        actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    assert "实践记录 0 条" in str(error.value)
    ready(learner, hub_staff, ratings=("4", "2", "5"))
    with pytest.raises(ValidationError):
        actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    assert not Certificate.objects.exists()


def test_attendance_below_the_module_share_holds_completion_back(learner, hub_staff, module):
    from meetings import actions as meeting_actions
    from meetings.choices import Attendance
    from meetings.models import Meeting

    ready(learner, hub_staff)
    start = timezone.now() - datetime.timedelta(days=5)
    for day in range(2):
        meeting = Meeting(
            title=f"第{day + 1}讲",
            starts_at=start + datetime.timedelta(days=day),
            ends_at=start + datetime.timedelta(days=day, hours=2),
            place="同心源培训室",
        )
        session = actions.do_add_session(module, by=hub_staff, meeting=meeting)
        invitation = session.meeting.invitations.get(person=learner.applicant)
        mark = Attendance.PRESENT if day == 0 else Attendance.ABSENT
        meeting_actions.do_record_attendance(session.meeting, {invitation.pk: mark})
    assert learner.attendance_percent() == 50
    with pytest.raises(ValidationError) as error:
        actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    assert "出席率 50%" in str(error.value)


def test_completion_issues_a_certificate_and_tells_the_learner(learner, hub_staff):
    ready(learner, hub_staff)
    certificate = actions.do_complete(learner, by=hub_staff, on=timezone.localdate(), honour=True)
    learner.refresh_from_db()
    assert learner.status == ApplicationStatus.COMPLETED
    assert certificate.honour and len(certificate.code) >= 20
    assert Notification.objects.filter(recipient=learner.applicant, step="completed").exists()


def test_a_deferred_learner_completes_later(learner, hub_staff):
    actions.do_defer(learner, by=hub_staff, reason="产假")
    ready(learner, hub_staff)
    actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    learner.refresh_from_db()
    assert learner.status == ApplicationStatus.COMPLETED
    assert Notification.objects.filter(recipient=learner.applicant, step="deferred").exists()


def test_the_certificate_pdf_names_the_person_and_the_module(
    learner, hub_staff, hub_org, director, client_for, tmp_path
):
    ready(learner, hub_staff)
    certificate = actions.do_complete(learner, by=hub_staff, on=datetime.date(2026, 3, 20))
    response = client_for(director).get(reverse("training:certificate_pdf", args=[learner.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert learner.applicant.full_name in compact
    assert learner.module.name in compact
    assert hub_org.name in compact
    # pdftotext drops a hyphen where the long URL wraps, so compare the code without its hyphens.
    assert certificate.code.replace("-", "") in compact.replace("-", "")


def test_the_verification_page_shows_name_module_and_date_and_nothing_else(learner, hub_staff, client):
    ready(learner, hub_staff)
    certificate = actions.do_complete(learner, by=hub_staff, on=datetime.date(2026, 3, 20))
    html = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert learner.applicant.full_name in html
    assert learner.module.name in html
    assert "2026-03-20" in html
    assert "姓名" in html  # the person's name, not another app's "Name"
    card = html.split('id="verdict"')[1].split("</dl>")[0]
    shown = [line.strip() for line in card.split("<dd")[1:]]
    assert len(shown) == 3  # name, module, date: no organisation, e-mail, score or other field
    for private in (learner.organisation.name, learner.organisation.short_name, learner.applicant.email):
        assert private not in html, private
    assert client.get(reverse("training:verify", args=["x" + certificate.code[1:]])).status_code == 404


def test_the_talent_pool_lists_certified_people_to_the_network_not_to_anonymous(
    learner, hub_staff, other, client_for
):
    ready(learner, hub_staff)
    actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    url = reverse("training:talent_pool")
    assert client_for(None).get(url).status_code == 302
    response = client_for(other).get(url, {"q": learner.applicant.full_name})
    assert [row.record.application_id for row in response.context["table"].rows] == [learner.pk]
    assert not client_for(other).get(url, {"q": "没有这个人"}).context["table"].rows


def test_incentives_stay_within_the_cap_per_learner_and_programme(
    learner, hub_staff, make_module, make_application
):
    ready(learner, hub_staff)
    actions.do_complete(learner, by=hub_staff, on=timezone.localdate())
    learner.refresh_from_db()
    assert learner.suggested_incentive() == Decimal("3600")  # 4,100 × 4.5 / 5 = 3,690, down to a step of 100
    actions.do_record_incentive(learner, by=hub_staff, amount=Decimal("3000"), paid_on=timezone.localdate())
    second = make_application(make_module("儿童引导师", min_practice_records=0), learner.applicant)
    second.status = ApplicationStatus.COMPLETED
    second.save()
    with pytest.raises(ValidationError):
        actions.do_record_incentive(second, by=hub_staff, amount=Decimal("1200"))
    actions.do_record_incentive(second, by=hub_staff, amount=Decimal("1100"))


def test_the_pages_speak_the_hubs_chinese_terms(learner, hub_staff, client_for):
    html = (
        client_for(hub_staff).get(reverse("training:application_detail", args=[learner.pk])).content.decode()
    )
    for term in ("人才培养", "入选", "实践记录", "结业与证书"):
        assert term in html, term
