"""Every notification is written in its reader's language (issue 14), whoever or whatever sent it.

One kind per app, each through its real action or sweep, with one reader who chose English and one
who never chose (the site's default, Chinese), so a text built in the sender's or the worker's
language fails here.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hubsite.core.models import Notification

ORG_A = "都安瑶山社会工作服务中心"


def notice(kind, person, **filters):
    return Notification.objects.get(kind=kind, recipient=person, **filters)


@pytest.fixture
def english(make_user, org_a):
    """A director of org A who switched the site to English."""
    return make_user("english-director@example.org", "director", org_a, full_name="Wei", language="en")


def test_a_returned_report_tells_each_partner_in_their_own_language(
    org_a, centre_a, partner, english, hub_staff
):
    from reports.actions import do_return_report, do_submit_report
    from reports.defaults import load_default_indicators
    from reports.models import Indicator
    from reports.tests.factories import make_report

    load_default_indicators(Indicator)  # as the reports tests do: a flushed database may lack them

    report = make_report(org_a, datetime.date(2024, 3, 1))
    do_submit_report(report, by=partner)
    do_return_report(report, by=hub_staff, comment="请补充家访次数")

    in_english = notice("reports.returned", english)
    assert (
        in_english.subject
        == f"The 2024-03 monthly report of {ORG_A} was returned for revision: 请补充家访次数"
    )
    assert in_english.body == (
        f"The hub returned the monthly report of {ORG_A} for 2024-03 for revision. Please correct it "
        "and submit it again. The hub's comment:\n请补充家访次数"
    )
    in_chinese = notice("reports.returned", partner)
    assert in_chinese.subject == f"{ORG_A} 的 2024-03 月报已退回修改：请补充家访次数"
    assert in_chinese.body == (
        f"枢纽已将 {ORG_A} 的 2024-03 月报退回修改，请更正后重新提交。枢纽意见：\n请补充家访次数"
    )


def test_the_meeting_sweep_reminds_each_invitee_in_their_own_language(partner, english, hub_staff):
    from meetings import reminders
    from meetings.choices import MeetingKind, MeetingStatus
    from meetings.models import Invitation, Meeting

    starts = timezone.make_aware(datetime.datetime(2030, 5, 20, 10))
    # No place yet: "to be announced" is itself a translation, written per reader too.
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="伙伴交流会",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=MeetingStatus.CONFIRMED,
        created_by=hub_staff,
    )
    for person in (partner, english):
        Invitation.objects.create(meeting=meeting, person=person, organisation=person.organisation)

    reminders.sweep(timezone.make_aware(datetime.datetime(2030, 5, 17, 8)))

    in_english = notice("meetings.reminder", english, step="before-3")
    assert in_english.subject == "Reminder: 伙伴交流会 on 2030-05-20"
    assert in_english.body == "伙伴交流会 takes place on 2030-05-20, 10:00-12:00.\nPlace: to be announced"
    in_chinese = notice("meetings.reminder", partner, step="before-3")
    assert in_chinese.subject == "会议提醒：2030-05-20 伙伴交流会"
    assert in_chinese.body == "伙伴交流会将于 2030-05-20 10:00-12:00 举行。\n地点：待定"
    assert notice("meetings.invitation", english).subject == "Invitation: 伙伴交流会 on 2030-05-20"


def test_a_training_selection_is_told_in_the_applicants_language(make_user, org_a, hub_staff):
    from training import actions
    from training.choices import ApplicationStatus, Decision, Education
    from training.models import Application, Module, Programme

    programme = Programme.objects.create(year=2025, name="2025-26 亲子园指导师培养计划")
    now = timezone.now()
    module = Module.objects.create(
        programme=programme,
        name="正向教养家长引导师",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    teachers = {
        language: make_user(
            f"teacher-{language or 'zh'}@example.org", "partner_staff", org_a, language=language
        )
        for language in ("en", "")
    }
    for teacher in teachers.values():
        application = Application.objects.create(
            module=module,
            applicant=teacher,
            organisation=org_a,
            years_in_child_services=3,
            education=Education.BACHELOR,
            status=ApplicationStatus.ENDORSED,
            score=90,
        )
        actions.do_decide(application, by=hub_staff, decision=Decision.SELECTED)

    in_english = notice("training.decision", teachers["en"], step="selected")
    assert in_english.subject == "Selected: 正向教养家长引导师"
    assert (
        in_english.body
        == "You have been selected for the module 正向教养家长引导师 of 2025-26 亲子园指导师培养计划."
    )
    in_chinese = notice("training.decision", teachers[""], step="selected")
    assert in_chinese.subject == "入选：正向教养家长引导师"
    assert in_chinese.body == "您已入选2025-26 亲子园指导师培养计划的模块 正向教养家长引导师。"


def test_an_expansion_funding_decision_is_told_in_the_applicants_language(director, english, hub_staff):
    from mutualaid.actions import do_approve_application, do_submit_application

    for applicant in (director, english):
        application = do_submit_application(
            by=applicant,
            site_name="都安第二亲子园",
            prefecture=applicant.organisation.prefecture,
            site_type="community",
            address="",
            budget=Decimal("30000"),
            justification="社区里 0-3 岁家庭多",
        )
        do_approve_application(
            application_id=application.pk, by=hub_staff, amount=Decimal("18000"), note="先批一期。"
        )

    in_english = notice("mutualaid.application", english)
    assert in_english.subject == "Expansion funding approved: 都安第二亲子园"
    assert in_english.body == (
        "Your application for 都安第二亲子园 was approved: 18000.00 yuan.\n\nThe hub's note: 先批一期。"
    )
    in_chinese = notice("mutualaid.application", director)
    assert in_chinese.subject == "拓点经费申请已批准：都安第二亲子园"
    assert (
        in_chinese.body
        == "您为 都安第二亲子园 提交的拓点经费申请已批准：18000.00 元。\n\n枢纽的说明：先批一期。"
    )


def test_an_import_tells_who_uploaded_and_who_confirmed_each_in_their_language(
    hub_staff, make_user, hub_org, prefectures, settings, tmp_path
):
    from imports.actions import check_sheet, do_confirm_import, do_upload_sheet, run_import
    from imports.tests.conftest import sheet

    settings.MEDIA_ROOT = str(tmp_path)
    confirmer = make_user("hub-en@example.org", "hub_admin", hub_org, language="en")
    rows = [[f"第{n}号社会工作服务中心", f"社工{n}", "柳州市", "合作中"] for n in range(2)]
    run = do_upload_sheet(
        kind="organisations", upload=sheet(["机构全称", "简称", "地市", "状态"], rows), by=hub_staff
    )
    check_sheet(run.pk)  # the worker's check tells the uploader
    do_confirm_import(run, by=confirmer)
    run_import(run.pk)  # the worker's import tells who confirmed it

    checked = notice("imports.finished", hub_staff, step="checked")
    assert checked.subject == "可以导入：sheet.csv"
    finished = notice("imports.finished", confirmer, step="finished")
    assert finished.subject == "Imported: sheet.csv"
    assert finished.body == "sheet.csv was imported: 2 new, 0 changed, 0 unchanged."


def test_a_generated_regional_report_tells_its_requester_in_their_own_language(english, hub_staff):
    from reports.models import GeneratedReport
    from reports.regional.generate import notify_finished

    for person in (english, hub_staff):
        report = GeneratedReport.objects.create(
            period_kind="quarter",
            period_start=datetime.date(2024, 1, 1),
            scope="region",
            status="done",
            requested_by=person,
        )
        notify_finished(report)
    assert (
        notice("reports.regional_ready", english).subject == "Regional report ready: Guangxi region 2024 Q1"
    )
    assert notice("reports.regional_ready", hub_staff).subject == "区域报告已生成：广西全区 2024年第1季度"
