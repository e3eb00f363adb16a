"""Partners helping partners: the mentor pool, the activity library and the help-hours ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hubsite.core.models import Notification
from mutualaid import actions
from mutualaid.choices import HelpRequestStatus, OfferStatus
from mutualaid.criteria import evaluate_all
from mutualaid.models import HelpHours, Membership, MentorRequest
from partners.models import Organisation

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def mentor(director, hub_staff):
    """Org A's director, in the pool after the hub's approval."""
    offer = actions.do_offer_mentoring(
        by=director,
        areas=["operations", "parents"],
        format="either",
        availability="每月两个周六上午",
        introduction="办园六年，家长委员会怎么建",
    )
    return actions.do_review_mentor(mentor_id=offer.pk, by=hub_staff, approve=True)


@pytest.fixture
def activity(partner):
    return actions.do_list_activity(
        by=partner,
        kind="parent_workshop",
        title="中秋亲子手工坊",
        description="做灯笼，两小时",
        capacity=30,
        conditions="需要一间活动室",
        format="on_site",
    )


def notices(kind):
    return list(Notification.objects.filter(kind=kind).order_by("recipient__email"))


def test_a_mentor_joins_the_pool_only_once_the_hub_approved(director, other, hub_staff, client_for):
    offer = actions.do_offer_mentoring(
        by=director, areas=["finance"], format="online", availability="晚上", introduction="财务制度"
    )
    assert offer.organisation_id == director.organisation_id
    pool = client_for(other).get(reverse("mutualaid:mentor_list")).context["table"].data
    assert list(pool) == []
    assert client_for(other).get(offer.get_absolute_url()).status_code == 404
    actions.do_review_mentor(mentor_id=offer.pk, by=hub_staff, approve=True)
    (notice,) = notices("mutualaid.mentor")
    assert (notice.recipient, notice.step, notice.subject) == (
        director,
        OfferStatus.APPROVED,
        "您已进入街坊导师库",
    )
    html = client_for(other).get(reverse("mutualaid:mentor_list")).content.decode()
    assert "韦主任" in html and "财务" in html


def test_the_pool_is_searched_by_text_area_and_format(mentor, other, make_user, org_b, client_for):
    client = client_for(other)

    def found(query):
        return [m.pk for m in client.get(reverse("mutualaid:mentor_list") + query).context["table"].data]

    assert found("?q=家长委员会") == [mentor.pk]
    assert found("?area=parents") == [mentor.pk]
    assert found("?area=finance") == []
    assert found("?format=online") == [mentor.pk]  # "either" suits online too
    assert found("?q=不存在的词") == []


def test_request_accept_log_hours_reaches_the_ledger_and_tells_each_side_once(
    mentor, director, other, org_a, org_b, client_for
):
    client = client_for(other)
    response = client.post(
        reverse("mutualaid:mentor_request", args=[mentor.pk]),
        {"message": "想请教家长委员会怎么建", "format": "online", "organisation": org_a.pk},
    )
    request = MentorRequest.objects.get()
    assert response.status_code == 302
    assert (request.organisation, request.requested_by) == (org_b, other)
    (asked,) = notices("mutualaid.help_requested")
    assert asked.recipient == director
    assert asked.subject == f"{org_b.display_name} 请您担任导师"
    assert "想请教家长委员会怎么建" in asked.body

    mentor_client = client_for(director)
    response = mentor_client.post(
        reverse("mutualaid:mentor_request_answer", args=[request.pk]), {"accept": "1", "note": ""}
    )
    assert response.status_code == 302
    (answered,) = notices("mutualaid.help_answered")
    assert (answered.recipient, answered.step) == (other, HelpRequestStatus.ACCEPTED)
    assert answered.subject == "请求已接受：韦主任"
    # Answering again is refused and tells nobody a second time.
    with pytest.raises(ValidationError):
        actions.do_answer_mentor_request(request_id=request.pk, by=director, accept=False, note="没空")
    assert len(notices("mutualaid.help_answered")) == 1

    response = mentor_client.post(
        reverse("mutualaid:mentor_request_log", args=[request.pk]),
        {"given_on": "2025-06-14", "hours": "2.5", "note": "线上辅导"},
    )
    assert response.status_code == 302
    entry = HelpHours.objects.get()
    assert (entry.giver, entry.giver_person, entry.receiver, entry.hours) == (
        org_a,
        director,
        org_b,
        Decimal("2.5"),
    )
    for user in (director, other):
        html = client_for(user).get(reverse("mutualaid:hours")).content.decode()
        assert "2025 年，1 位导师和 0 个团队为 1 家机构提供了 2.5 小时的帮助。" in html


def test_hours_cannot_be_logged_in_the_future_or_before_acceptance(mentor, director, other, client_for):
    request = actions.do_request_mentor(by=other, mentor_id=mentor.pk, message="排班", format="online")
    with pytest.raises(ValidationError):
        actions.do_log_mentoring(request_id=request.pk, by=director, given_on=TODAY, hours=Decimal(1))
    actions.do_answer_mentor_request(request_id=request.pk, by=director, accept=True)
    response = client_for(director).post(
        reverse("mutualaid:mentor_request_log", args=[request.pk]),
        {"given_on": "2025-06-17", "hours": "30"},
    )
    form = response.context["form"]
    assert form.errors["given_on"] == ["这个日期在未来。"]
    assert "hours" in form.errors
    assert not HelpHours.objects.exists()


def test_only_the_mentor_answers_and_a_third_organisation_sees_nothing(
    mentor, director, partner, other, make_user, prefectures, client_for
):
    request = actions.do_request_mentor(by=other, mentor_id=mentor.pk, message="排班", format="online")
    with pytest.raises(PermissionDenied):
        actions.do_answer_mentor_request(request_id=request.pk, by=partner, accept=True)
    with pytest.raises(PermissionDenied):
        actions.do_answer_mentor_request(request_id=request.pk, by=other, accept=True)
    third = Organisation.objects.create(name="百色丙", short_name="百色丙", prefecture=prefectures["451000"])
    outsider = make_user("third@example.org", "director", third)
    assert client_for(outsider).get(request.get_absolute_url()).status_code == 404
    assert client_for(partner).get(request.get_absolute_url()).status_code == 200


def test_a_declined_activity_request_says_why_and_a_delivery_records_people_served(
    activity, director, partner, other, org_a, org_b, client_for
):
    request = actions.do_request_activity(
        by=other, activity_id=activity.pk, wanted_on=datetime.date(2025, 9, 20), message="中秋节活动"
    )
    asked = notices("mutualaid.help_requested")
    # Who listed it (org A's staff member) and org A's director, once each.
    assert [n.recipient for n in asked] == [director, partner]
    with pytest.raises(ValidationError) as error:
        actions.do_answer_activity_request(request_id=request.pk, by=director, accept=False, note="")
    assert "note" in error.value.message_dict
    actions.do_answer_activity_request(request_id=request.pk, by=director, accept=True)
    response = client_for(partner).post(
        reverse("mutualaid:activity_request_deliver", args=[request.pk]),
        {"given_on": "2025-06-15", "hours": "3", "people_served": "24", "note": "做了 24 个灯笼"},
    )
    assert response.status_code == 302
    entry = HelpHours.objects.get()
    assert (entry.kind, entry.giver, entry.receiver, entry.people_served) == ("activity", org_a, org_b, 24)
    html = client_for(other).get(request.get_absolute_url()).content.decode()
    assert "做了 24 个灯笼" in html


def test_hours_given_count_for_criterion_5_as_of_the_rounds_date(
    mentor, director, other, org_a, make_partner, policy
):
    org = make_partner("柳州丁", endorsed=False)
    helper = type(director).objects.create_user(
        email="liuzhou@example.org", password="x", full_name="覃老师", role="director", organisation=org
    )
    offer = actions.do_offer_mentoring(
        by=helper, areas=["teaching"], format="on_site", availability="周三", introduction="绘本"
    )
    offer.status = OfferStatus.APPROVED
    offer.save()
    request = actions.do_request_mentor(by=other, mentor_id=offer.pk, message="绘本", format="on_site")
    actions.do_answer_mentor_request(request_id=request.pk, by=helper, accept=True)
    actions.do_log_mentoring(
        request_id=request.pk, by=helper, given_on=datetime.date(2025, 3, 1), hours=Decimal("4")
    )

    def criterion_5(as_of):
        (evaluation,) = evaluate_all(Organisation.objects.filter(pk=org.pk), as_of=as_of, policy=policy)
        return evaluation.result("shared_experience")

    before = criterion_5(datetime.date(2025, 2, 28))
    assert (before.status, before.explanation) == ("not_met", "尚未记录可分享经验")
    after = criterion_5(datetime.date(2025, 3, 1))
    assert after.status == "met"
    assert after.explanation == "已为 1 家机构提供 4 小时帮助"
    assert after.evidence["help_hours"] == "4.0"


def _network(size, make_partner, hub_staff):
    """``size`` pairs of organisations, each with a mentor, an activity, a request of each and hours."""
    from partners.models import User

    for i in range(size):
        giver = make_partner(f"给予{i}")
        taker = make_partner(f"接受{i}")
        person = User.objects.create_user(
            email=f"m{i}@example.org", password="x", full_name=f"导师{i}", role="director", organisation=giver
        )
        asker = User.objects.create_user(
            email=f"a{i}@example.org", password="x", full_name=f"提问{i}", role="director", organisation=taker
        )
        offer = actions.do_offer_mentoring(
            by=person, areas=["teaching"], format="online", availability="晚上", introduction="绘本"
        )
        actions.do_review_mentor(mentor_id=offer.pk, by=hub_staff, approve=True)
        request = actions.do_request_mentor(by=asker, mentor_id=offer.pk, message="绘本", format="online")
        actions.do_answer_mentor_request(request_id=request.pk, by=person, accept=True)
        actions.do_log_mentoring(request_id=request.pk, by=person, given_on=TODAY, hours=Decimal(2))
        activity = actions.do_list_activity(
            by=person,
            kind="lesson_plan",
            title=f"教案{i}",
            description="x",
            capacity=10,
            conditions="",
            format="online",
        )
        actions.do_request_activity(by=asker, activity_id=activity.pk, wanted_on=TODAY, message="x")
        Membership.objects.create(organisation=giver, cohort="2024", joined_on=datetime.date(2024, 1, 1))
        pairing = actions.do_pair_pioneer(
            by=hub_staff, pioneer=giver, partner=taker, starts_on=TODAY, ends_on=TODAY, goals="开园"
        )
        actions.do_log_pioneer_visit(pairing_id=pairing.pk, by=person, given_on=TODAY, hours=Decimal(3))


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session + user + count + rows (+ the offers waiting for the hub)
        ("mutualaid:mentor_list", 5),
        # session + user + count + rows
        ("mutualaid:activity_list", 4),
        # session + user + mentor requests + activity requests
        ("mutualaid:help_requests", 4),
        # session + user + count + rows + summary + given + received + names + people
        ("mutualaid:hours", 9),
        # session + user + pairings with their hours
        ("mutualaid:pairing_list", 3),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    make_partner, hub_staff, client_for, django_assert_num_queries, size, name, queries
):
    _network(size, make_partner, hub_staff)
    client = client_for(hub_staff)
    client.get(reverse(name))  # warm the session
    with django_assert_num_queries(queries):
        response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    # The last pair's row is there: the asking organisation on the requests page, the giver elsewhere.
    assert (f"接受{size - 1}" if name == "mutualaid:help_requests" else f"给予{size - 1}") in html


def test_a_pioneer_pairing_tells_both_directors_logs_visits_and_records_the_outcome(
    director, other, org_a, org_b, member, hub_staff, make_user, client_for
):
    from mutualaid.models import PioneerPairing

    director_b = make_user("director-b@example.org", "director", org_b)
    with pytest.raises(ValidationError) as error:
        actions.do_pair_pioneer(
            by=hub_staff,
            pioneer=org_a,
            partner=org_b,
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2025, 12, 31),
            goals="x",
        )
    assert "pioneer" in error.value.message_dict  # not a member yet
    member(org_a)
    response = client_for(hub_staff).post(
        reverse("mutualaid:pairing_create"),
        {
            "pioneer": org_a.pk,
            "partner": org_b.pk,
            "starts_on": "2025-03-01",
            "ends_on": "2025-12-31",
            "goals": "年底前开办第一个亲子园",
        },
    )
    pairing = PioneerPairing.objects.get()
    assert response.status_code == 302
    assert [n.recipient for n in notices("mutualaid.pairing")] == [director_b, director]
    assert client_for(other).get(pairing.get_absolute_url()).status_code == 200
    with pytest.raises(PermissionDenied):
        actions.do_log_pioneer_visit(pairing_id=pairing.pk, by=other, given_on=TODAY, hours=Decimal(2))
    actions.do_log_pioneer_visit(
        pairing_id=pairing.pk, by=director, given_on=TODAY, hours=Decimal(4), note="看场地"
    )
    entry = HelpHours.objects.get()
    assert (entry.kind, entry.giver, entry.receiver, entry.request) == ("pioneer", org_a, org_b, pairing)
    actions.do_record_pairing_outcome(
        pairing_id=pairing.pk, by=hub_staff, outcome="centre_opened", note="9 月开园"
    )
    html = client_for(other).get(pairing.get_absolute_url()).content.decode()
    assert "已开办第一个亲子园" in html and "看场地" in html
    with pytest.raises(ValidationError):
        actions.do_log_pioneer_visit(pairing_id=pairing.pk, by=director, given_on=TODAY, hours=Decimal(1))
