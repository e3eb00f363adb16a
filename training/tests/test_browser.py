"""In a real browser: a teacher applies on a phone (375 px), the hub selects her, adds a session (a
meeting of the calendar) and records her attendance on the meeting, completes her with a certificate;
she downloads it, and its URL verifies for anyone."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_applies_on_a_phone_is_selected_and_her_certificate_verifies(
    page_factory, screenshot, hub_staff, director, partner, make_module, tmp_path
):
    from meetings.choices import MeetingKind
    from training import actions
    from training.models import Application, Certificate, TrainingSession

    module = make_module(evidence_label="活动总结", min_practice_records=1)

    # The teacher applies on her phone, uploading her activity summary.
    phone = page_factory(partner, width=375, height=800)
    phone.goto(f"{phone.base_url}/training/{module.programme_id}/apply/")
    phone.check(f"input[name=modules][value='{module.pk}']")
    phone.fill("input[name=years_in_child_services]", "3")
    phone.select_option("select[name=education]", "3")
    phone.set_input_files(
        "input[name=evidence]", {"name": "活动总结.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    )
    phone.click("main form [type=submit]")
    phone.wait_for_url("**/training/applications/")
    screenshot(phone, "training-applied-phone")
    application = Application.objects.get(applicant=partner)
    assert application.organisation_id == partner.organisation_id
    actions.do_endorse(application, by=director)

    # The hub scores and selects her.
    hub = page_factory(hub_staff)
    hub.goto(f"{hub.base_url}/training/applications/{application.pk}/score/")
    hub.fill("input[name=score]", "88")
    hub.click("main form [type=submit]")
    hub.goto(f"{hub.base_url}/training/applications/{application.pk}/decide/")
    hub.check("input[name=decision][value=selected]")
    hub.click("main form [type=submit]")
    hub.wait_for_url(f"**/training/applications/{application.pk}/")
    assert "入选" in hub.inner_text("#status")

    # The hub adds a session (a meeting of the calendar, she is invited) and records attendance on it.
    start = timezone.localtime() - datetime.timedelta(days=1)
    hub.goto(f"{hub.base_url}/training/modules/{module.pk}/sessions/new/")
    hub.fill("input[name=title]", "家长引导师 第1讲")
    hub.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT09:00"))
    hub.fill("input[name=ends_at]", start.strftime("%Y-%m-%dT12:00"))
    hub.fill("input[name=place]", "同心源培训室")
    hub.uncheck("input[name=confirm]")
    hub.click("main form [type=submit]")
    hub.wait_for_url(f"**/training/modules/{module.pk}/")
    session = TrainingSession.objects.get(module=module)
    assert session.meeting.kind == MeetingKind.TRAINING_SESSION
    invitation = session.meeting.invitations.get(person=partner)
    hub.click(f"#sessions a[href$='/meetings/{session.meeting_id}/attendance/']")
    hub.select_option(f"select[name=inv_{invitation.pk}]", "present")
    hub.click("#attendance-form [type=submit]")
    hub.wait_for_url(f"**/meetings/{session.meeting_id}/")
    assert module.name in hub.inner_text("#training-session")
    application.refresh_from_db()
    assert application.attendance_percent() == 100

    # Practice and ratings are in; the hub completes her and the certificate is issued.
    record = actions.do_log_practice(
        application, by=partner, served_on=timezone.localdate(), description="家长小组"
    )
    actions.do_confirm_practice(record, by=hub_staff)
    actions.do_rate(
        application, by=hub_staff, learner=Decimal(5), supervisor=Decimal("4.5"), parent=Decimal(5)
    )
    hub.goto(f"{hub.base_url}/training/applications/{application.pk}/complete/")
    hub.click("main form [type=submit]")
    hub.wait_for_url(f"**/training/applications/{application.pk}/")
    certificate = Certificate.objects.get(application=application)

    # She downloads the certificate on her phone; it names her and the module.
    phone.goto(f"{phone.base_url}/training/applications/{application.pk}/")
    with phone.expect_download() as download:
        phone.click("#certificate-link")
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert partner.full_name in text and module.name in text
    # pdftotext drops a hyphen where the long URL wraps, so compare the code without its hyphens.
    assert certificate.code.replace("-", "") in text.replace("-", "")

    # Anyone who opens its URL (or scans its QR code) sees that it is genuine.
    anyone = page_factory(None, width=375, height=800)
    anyone.goto(f"{anyone.base_url}/training/verify/{certificate.code}/")
    assert "此证书真实有效" in anyone.inner_text("#verdict")
    assert anyone.inner_text("#cert-name") == partner.full_name
    screenshot(anyone, "training-certificate-verified-phone")
