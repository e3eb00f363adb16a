"""Every decision someone waits for (admitted, approved, declined, coaching scheduled) tells them at once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hubsite.core.models import Notification
from hubsite.core.notifications import object_key
from mutualaid.actions import (
    do_approve_application,
    do_decide,
    do_decide_visit,
    do_decline_application,
    do_join_waiting_list,
    do_log_session,
    do_run_review,
    do_submit_application,
)
from mutualaid.choices import Decision, SessionKind
from mutualaid.models import StudyVisit, StudyVisitBudget

AS_OF = datetime.date(2024, 12, 31)


def notices(kind):
    return list(
        Notification.objects.filter(kind=kind).select_related("recipient").order_by("recipient__email")
    )


@pytest.fixture
def candidate(make_partner, make_user):
    """A qualifying organisation with a director, a staff member and a former staff member."""
    org = make_partner("桂林甲")
    make_user("guilin-director@example.org", "director", org)
    make_user("guilin-staff@example.org", "partner_staff", org)
    make_user("guilin-former@example.org", "partner_staff", org, is_active=False)
    return org


def result_of(org, hub_staff):
    review = do_run_review(by=hub_staff, as_of=AS_OF, name="2024 年度评审", cohort="2024")
    return review.results.get(organisation=org)


def test_an_admission_tells_the_organisations_active_people_and_nobody_else(
    candidate, hub_staff, other, policy
):
    result = do_decide(
        result_id=result_of(candidate, hub_staff).pk,
        by=hub_staff,
        decision=Decision.ADMITTED,
        note="五项条件全部符合。",
        joined_on=datetime.date(2025, 1, 1),
    )
    sent = notices("mutualaid.admission")
    assert [n.recipient.email for n in sent] == ["guilin-director@example.org", "guilin-staff@example.org"]
    notice = sent[0]
    assert (notice.object_key, notice.step) == (object_key(result), "admitted")
    assert notice.subject == "已接纳加入区域互助支持小组：桂林甲"
    assert (
        notice.body
        == "桂林甲 已在“2024 年度评审”中被接纳加入区域互助支持小组。\n\n枢纽的说明：五项条件全部符合。"
    )
    assert notice.url == f"/mutual-aid/eligibility/{candidate.pk}/"


def test_a_declined_organisation_reads_the_reason(candidate, hub_staff, policy):
    do_decide(
        result_id=result_of(candidate, hub_staff).pk,
        by=hub_staff,
        decision=Decision.DECLINED,
        note="今年名额已满，欢迎明年再评。",
    )
    notice = notices("mutualaid.admission")[0]
    assert notice.step == "declined"
    assert notice.subject == "未接纳加入区域互助支持小组：桂林甲"
    assert notice.body.endswith("枢纽的说明：今年名额已满，欢迎明年再评。")


def test_a_refused_decision_tells_nobody(candidate, hub_staff, policy):
    result = result_of(candidate, hub_staff)
    with pytest.raises(ValidationError):
        do_decide(result_id=result.pk, by=hub_staff, decision=Decision.DECLINED, note="")
    assert not Notification.objects.exists()


def apply(director):
    return do_submit_application(
        by=director,
        site_name="都安第二亲子园",
        prefecture=director.organisation.prefecture,
        site_type="community",
        address="",
        budget=Decimal("30000"),
        justification="社区里 0-3 岁家庭多",
    )


def test_an_approved_application_tells_the_applicant_the_amount(director, partner, hub_staff):
    application = do_approve_application(
        application_id=apply(director).pk, by=hub_staff, amount=Decimal("18000"), note="先批一期。"
    )
    (notice,) = notices("mutualaid.application")
    assert (notice.recipient, notice.object_key, notice.step) == (
        director,
        object_key(application),
        "approved",
    )
    assert notice.subject == "拓点经费申请已批准：都安第二亲子园"
    assert (
        notice.body == "您为 都安第二亲子园 提交的拓点经费申请已批准：18000.00 元。\n\n枢纽的说明：先批一期。"
    )
    assert notice.url == application.get_absolute_url()


def test_a_declined_application_tells_the_applicant_why(director, hub_staff):
    do_decline_application(application_id=apply(director).pk, by=hub_staff, note="预算不足。")
    (notice,) = notices("mutualaid.application")
    assert (notice.recipient, notice.step) == (director, "declined")
    assert notice.subject == "拓点经费申请未批准：都安第二亲子园"
    assert notice.body == "您为 都安第二亲子园 提交的拓点经费申请未批准。\n\n枢纽的说明：预算不足。"


def test_starting_a_review_is_no_decision_and_tells_nobody(director, hub_staff):
    from mutualaid.actions import do_start_review

    do_start_review(application_id=apply(director).pk, by=hub_staff)
    assert not Notification.objects.exists()


@pytest.fixture
def visit(director, org_a, centre_b, member):
    member(org_a)
    StudyVisitBudget.objects.create(year=2030, amount_per_member=Decimal("2000"))
    return StudyVisit.objects.create(
        organisation=org_a,
        requested_by=director,
        visitors="韦主任",
        host_centre=centre_b,
        visit_on=datetime.date(2030, 5, 6),
        estimated_cost=Decimal("800"),
    )


def test_an_approved_visit_tells_the_requester_and_the_email_leaves_on_commit(
    visit, director, hub_staff, centre_b, django_capture_on_commit_callbacks, outbox_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        do_decide_visit(visit_id=visit.pk, by=hub_staff, approve=True)
        assert mail.outbox == []  # not before the decision is committed
    (notice,) = notices("mutualaid.visit")
    assert (notice.recipient, notice.object_key, notice.step) == (director, object_key(visit), "approved")
    assert notice.subject == f"区域内走访学习已批准：{centre_b}，2030年5月6日"
    assert "已从 2030 年的预算中为此预留 800.00 元" in notice.body
    assert [m.to for m in mail.outbox] == [[director.email]]
    assert mail.outbox[0].subject.endswith(notice.subject)


def test_a_declined_visit_tells_the_requester_why(visit, director, hub_staff):
    do_decide_visit(visit_id=visit.pk, by=hub_staff, approve=False, note="时间与培训冲突。")
    (notice,) = notices("mutualaid.visit")
    assert (notice.recipient, notice.step) == (director, "declined")
    assert notice.body.endswith("未获通过。\n\n枢纽的说明：时间与培训冲突。")


def log_session(hub_staff, director, topic, request_id=None):
    return do_log_session(
        by=hub_staff,
        organisation=director.organisation,
        director=director,
        kind=SessionKind.COACHING,
        held_on=datetime.date(2030, 3, 4),
        coach="黄老师",
        topic=topic,
        request_id=request_id,
    )


def test_a_director_on_the_waiting_list_hears_when_a_session_is_logged_for_them(director, hub_staff):
    entry = do_join_waiting_list(by=director, topic="团队分工")
    session = log_session(hub_staff, director, "团队分工", request_id=entry.pk)
    (notice,) = notices("mutualaid.coaching")
    assert (notice.recipient, notice.object_key, notice.step) == (director, object_key(entry), "scheduled")
    assert notice.subject == "个人教练已安排：团队分工"
    assert notice.body == "您的个人教练申请“团队分工”已安排：2030年3月4日，由 黄老师 提供。"
    assert notice.url == session.get_absolute_url()


def test_a_session_logged_after_it_was_held_without_a_waiting_list_entry_tells_nobody(director, hub_staff):
    # A session scheduled ahead is news for the director (mutualaid/tests/test_coaching_scheduled.py);
    # one logged once held is a record.
    from django.utils import timezone

    do_log_session(
        by=hub_staff,
        organisation=director.organisation,
        director=director,
        kind=SessionKind.COACHING,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        coach="黄老师",
        topic="筹款",
    )
    assert not Notification.objects.exists()
