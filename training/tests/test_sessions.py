"""Sessions are meetings of the calendar (kind "training session"): the module's learners are invited,
reply, get the .ics, and the attendance recorded on the meeting counts towards completion."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.core.models import Notification
from meetings import actions as meeting_actions
from meetings.choices import Attendance, MeetingKind, MeetingStatus, Rsvp
from meetings.models import Invitation, Meeting
from training import actions
from training.choices import ApplicationStatus
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(module, partner, make_application):
    return make_application(module, partner, status=ApplicationStatus.SELECTED, score=80)


def new_session(module, by, *, days=7, confirm=False, title="家长引导师 第1讲"):
    start = timezone.now() + datetime.timedelta(days=days)
    meeting = Meeting(
        title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="同心源培训室"
    )
    return actions.do_add_session(module, by=by, meeting=meeting, confirm=confirm)


def invitees(session) -> set:
    return set(session.meeting.invitations.values_list("person__email", flat=True))


def test_a_new_session_is_a_training_meeting_that_invites_only_the_modules_learners(
    module, learner, director, other, make_application, hub_staff
):
    make_application(module, director, status=ApplicationStatus.WAITLISTED, score=60)
    make_application(module, other, status=ApplicationStatus.NOT_SELECTED, score=40)
    session = new_session(module, hub_staff)
    meeting = session.meeting
    assert meeting.kind == MeetingKind.TRAINING_SESSION and meeting.status == MeetingStatus.PLANNED
    assert meeting.created_by == hub_staff
    assert invitees(session) == {learner.applicant.email}
    invitation = meeting.invitations.get()
    assert invitation.organisation_id == learner.organisation_id and invitation.is_manual
    # Planned, not confirmed: nobody is e-mailed yet.
    assert not Notification.objects.filter(kind="meetings.invitation").exists()


def test_confirming_the_session_sends_the_learner_the_meetings_invitation_with_its_ics(
    module, learner, hub_staff, client_for
):
    session = new_session(module, hub_staff, confirm=True)
    session.meeting.refresh_from_db()
    assert session.meeting.status == MeetingStatus.CONFIRMED
    notice = Notification.objects.get(kind="meetings.invitation", recipient=learner.applicant)
    assert "家长引导师 第1讲" in notice.subject
    # The learner finds it in the network calendar, downloads its .ics and replies.
    client = client_for(learner.applicant)
    calendar = client.get(reverse("meetings:calendar"), {"view": "list"}).content.decode()
    assert "家长引导师 第1讲" in calendar
    month = f"{timezone.localtime(session.meeting.starts_at):%Y-%m}"
    grid = client.get(reverse("meetings:calendar"), {"month": month}).content.decode()
    assert 'class="mtg kind-training_session"' in grid and ".kind-training_session {" in grid
    ics = client.get(reverse("meetings:meeting_ics", args=[session.meeting_id])).content.decode()
    assert "SUMMARY:家长引导师 第1讲" in ics
    invitation = Invitation.objects.get(meeting=session.meeting, person=learner.applicant)
    meeting_actions.do_reply(invitation, Rsvp.ACCEPTED)
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.ACCEPTED


def test_whoever_moves_up_from_the_waiting_list_is_invited_at_once_and_who_withdrew_is_not(
    module, learner, director, make_application, hub_staff
):
    module.places = 1
    module.save()
    waiting = make_application(module, director, status=ApplicationStatus.WAITLISTED, score=70)
    session = new_session(module, hub_staff, confirm=True)
    assert invitees(session) == {learner.applicant.email}
    head = actions.do_withdraw(learner, by=learner.applicant)
    assert head == waiting
    assert invitees(session) == {director.email}
    assert Notification.objects.filter(kind="meetings.invitation", recipient=director).exists()


def test_a_learner_selected_later_is_invited_to_the_sessions_still_open_not_to_held_ones(
    module, learner, director, make_application, hub_staff
):
    start = timezone.now() - datetime.timedelta(days=2)
    held = actions.do_add_session(
        module,
        by=hub_staff,
        meeting=Meeting(
            title="第1讲", starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="x"
        ),
    )
    meeting_actions.do_record_attendance(
        held.meeting, {held.meeting.invitations.get().pk: Attendance.PRESENT}
    )
    coming = new_session(module, hub_staff, title="第2讲")
    later = make_application(module, director, status=ApplicationStatus.ENDORSED, score=75)
    actions.do_decide(later, by=hub_staff, decision=ApplicationStatus.SELECTED)
    assert invitees(held) == {learner.applicant.email}
    assert invitees(coming) == {learner.applicant.email, director.email}


def test_only_held_sessions_count_and_cancelled_or_future_ones_do_not(module, learner, hub_staff):
    assert learner.attendance_percent() is None
    start = timezone.now() - datetime.timedelta(days=3)
    for number, mark in enumerate((Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT, None)):
        session = actions.do_add_session(
            module,
            by=hub_staff,
            meeting=Meeting(
                title=f"第{number + 1}讲",
                starts_at=start + datetime.timedelta(hours=number * 4),
                ends_at=start + datetime.timedelta(hours=number * 4 + 2),
                place="同心源",
            ),
        )
        if mark:
            invitation = session.meeting.invitations.get(person=learner.applicant)
            meeting_actions.do_record_attendance(session.meeting, {invitation.pk: mark})
        else:
            session.meeting.cancel("讲师生病")
    new_session(module, hub_staff, title="第5讲")
    # Present at one of the three held sessions; excused counts as not present.
    assert learner.attendance_percent() == 33


def test_the_session_form_refuses_bad_input_beside_the_fields_and_saves_nothing(
    module, learner, hub_staff, client_for
):
    url = reverse("training:session_add", args=[module.pk])
    client = client_for(hub_staff)
    assert "第1讲" in client.get(url).content.decode()  # the next session's title is suggested
    response = client.post(
        url,
        {"title": "第1讲", "starts_at": "2031-05-12T09:00", "ends_at": "2031-05-12T08:00", "place": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "会议的结束时间必须晚于开始时间" in " ".join(form.errors["ends_at"])
    assert form.errors["place"] == ["请填写地点或线上会议链接。"]
    assert not form.non_field_errors()  # one clear message, not the database constraint's as well
    response = client.post(url, {"title": "第1讲", "starts_at": "12/05/31", "ends_at": "", "place": "x"})
    assert "starts_at" in response.context["form"].errors
    assert not Meeting.objects.exists() and not TrainingSession.objects.exists()


def test_the_hub_adds_a_session_from_the_module_page_and_it_lists_attendance(
    module, learner, hub_staff, client_for
):
    client = client_for(hub_staff)
    response = client.post(
        reverse("training:session_add", args=[module.pk]),
        {
            "title": "家长引导师 第1讲",
            "starts_at": "2031-05-12T09:00",
            "ends_at": "2031-05-12T12:00",
            "online_link": "meet.example.org/abc",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get(module=module)
    assert session.meeting.status == MeetingStatus.CONFIRMED
    assert session.meeting.online_link == "https://meet.example.org/abc"
    page = client.get(module.get_absolute_url()).content.decode()
    sessions = page.split('id="sessions"')[1].split("</ul>")[0]
    assert "家长引导师 第1讲" in sessions and "1 人中 0 人出席" in sessions
    assert reverse("meetings:attendance", args=[session.meeting_id]) in sessions


def test_the_meeting_page_of_a_session_names_its_module(module, learner, hub_staff, client_for):
    session = new_session(module, hub_staff, confirm=True)
    page = client_for(learner.applicant).get(session.meeting.get_absolute_url()).content.decode()
    panel = page.split('id="training-session"')[1].split("</div></div>")[0]
    assert module.name in panel and module.get_absolute_url() in panel
    assert "80%" in panel


def test_the_meeting_page_of_another_kind_has_no_session_panel(hub_staff, client_for):
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        kind=MeetingKind.OTHER,
        title="伙伴交流会",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    page = client_for(hub_staff).get(meeting.get_absolute_url()).content.decode()
    assert 'id="training-session"' not in page


def test_a_session_entered_after_it_started_is_not_confirmed_and_emails_nobody(module, learner, hub_staff):
    session = new_session(module, hub_staff, days=-1, confirm=True)
    session.meeting.refresh_from_db()
    assert session.meeting.status == MeetingStatus.PLANNED
    assert invitees(session) == {learner.applicant.email}
    assert not Notification.objects.filter(kind="meetings.invitation").exists()


def test_the_learners_page_lists_each_session_with_her_attendance(
    module, learner, director, make_application, hub_staff, client_for
):
    start = timezone.now() - datetime.timedelta(days=2)
    held = actions.do_add_session(
        module,
        by=hub_staff,
        meeting=Meeting(
            title="第1讲", starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="x"
        ),
    )
    meeting_actions.do_record_attendance(
        held.meeting, {held.meeting.invitations.get().pk: Attendance.EXCUSED}
    )
    new_session(module, hub_staff, title="第2讲", confirm=True)
    later = make_application(module, director, status=ApplicationStatus.ENDORSED, score=75)
    actions.do_decide(later, by=hub_staff, decision=ApplicationStatus.SELECTED)

    def rows(application):
        page = client_for(hub_staff).get(application.get_absolute_url()).content.decode()
        table = page.split('id="learner-sessions"')[1].split("</table>")[0]
        return [" ".join(row.split()) for row in table.split("<tr>")[2:]]

    first, second = rows(learner)
    assert "第1讲" in first and "请假" in first
    assert "第2讲" in second and "已确认" in second
    first, second = rows(later)
    assert "未受邀" in first and "已确认" in second
