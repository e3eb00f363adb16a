"""In a real browser: a teacher applies on a phone (375 px), the hub selects her and takes attendance,
completes her with a certificate; she downloads it, and its URL verifies for anyone."""

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
    from meetings.models import Meeting
    from training import actions
    from training.models import Application, Certificate

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

    # A session on the calendar; the hub takes attendance.
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="家长引导师 第1讲",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    session = actions.do_add_session(module, by=hub_staff, meeting=meeting)
    hub.goto(f"{hub.base_url}/training/sessions/{session.pk}/attendance/")
    hub.check(f"input[name=present][value='{application.pk}']")
    hub.click("main form [type=submit]")
    hub.wait_for_url(f"**/training/modules/{module.pk}/")
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
