"""Access matrix for the meetings app: org A's supervision (with diagnosis and action items) and a
monthly topic meeting hosted by org A. `other` (org B) must get 404 for org A's internal records."""

import datetime

from django.utils import timezone

from tests.matrix import Case, everyone, expect, hub_only, own_org, public


def setup(world):
    from meetings import actions
    from meetings.audience import invite_audience
    from meetings.choices import MeetingKind
    from meetings.models import ActionItem, HolidayOverride, Meeting, SupervisionDiagnosis

    start = timezone.now() + datetime.timedelta(days=5)
    world.supervision = Meeting.objects.create(
        kind=MeetingKind.SUPERVISION,
        title="都安瑶山 督导",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        organisation=world.org_a,
    )
    world.monthly = Meeting.objects.create(
        kind=MeetingKind.MONTHLY_TOPIC,
        title="月度小议题",
        starts_at=start + datetime.timedelta(days=1),
        ends_at=start + datetime.timedelta(days=1, hours=2),
        host=world.org_a,
    )
    invite_audience([world.supervision, world.monthly])
    SupervisionDiagnosis.objects.create(meeting=world.supervision, teaching="教学", needs="需要")
    world.action_item = ActionItem.objects.create(
        meeting=world.supervision,
        what="完善家长签到表",
        owner_organisation=world.org_a,
        owner_person=world.director,
        due_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    world.draft = actions.do_create_plan(year=2027, weekday=2, week_of_month=2, by=world.hub_staff)
    world.holiday = HolidayOverride.objects.create(
        date=datetime.date(2027, 1, 1), kind="holiday", name="元旦"
    )
    world.feed_token = actions.do_issue_feed_token(world.partner)


def sup(w):
    return {"pk": w.supervision.pk}


def monthly(w):
    return {"pk": w.monthly.pk}


HUB_POST = hub_only(302)

CASES = [
    Case("meetings:calendar", everyone()),
    Case("meetings:calendar", everyone(), query="view=list"),
    Case("meetings:mine", everyone()),
    Case("meetings:meeting_create", hub_only()),
    Case("meetings:meeting_detail", own_org(), kwargs=sup),
    Case("meetings:meeting_detail", everyone(), kwargs=monthly),
    Case("meetings:meeting_edit", hub_only(), kwargs=sup),
    Case("meetings:meeting_status", HUB_POST, kwargs=sup, method="post", data={"action": "confirm"}),
    Case("meetings:meeting_ics", own_org(), kwargs=sup),
    Case(
        "meetings:rsvp",
        expect(hub_admin=302, director=302, other=404, viewer=404),
        kwargs=sup,
        method="post",
        data={"rsvp": "accepted"},
    ),
    # The monthly meeting is on the network calendar; an uninvited viewer answers 404 from the invitation.
    # Org A hosts it, so its director is invited too.
    Case(
        "meetings:rsvp",
        expect(hub_admin=404, director=302, partner=302, other=302, viewer=404),
        kwargs=monthly,
        method="post",
        data={"rsvp": "declined"},
    ),
    Case("meetings:topic", expect(hub_admin=200, director=200, other=403, viewer=403), kwargs=monthly),
    Case("meetings:attendance", hub_only(), kwargs=sup),
    Case("meetings:minutes", hub_only(), kwargs=sup),
    Case("meetings:diagnosis", hub_only(), kwargs=sup),
    Case("meetings:action_create", hub_only(), kwargs=sup),
    Case("meetings:action_list", expect(hub_admin=200, director=200, other=200, viewer=403)),
    Case(
        "meetings:action_update",
        expect(hub_admin=302, director=302, other=404, viewer=403),
        kwargs=lambda w: {"pk": w.action_item.pk},
        method="post",
        data={"status": "done", "version": 1},
    ),
    Case("meetings:rotation", everyone()),
    Case(
        "meetings:rotation_skip",
        HUB_POST,
        method="post",
        data=lambda w: {
            "organisation": w.org_b.pk,
            "month": 3,
            "reason": "换届",
            "year": 2027,
            "version": 0,
        },
    ),
    Case(
        "meetings:supervision_history",
        expect(hub_admin=200, director=200, other=404, viewer=403),
        kwargs=lambda w: {"pk": w.org_a.pk},
    ),
    Case("meetings:attendance_rates", hub_only()),
    Case("meetings:coverage", hub_only()),
    Case("meetings:planner", hub_only()),
    Case("meetings:plan_detail", hub_only(), kwargs=lambda w: {"pk": w.draft.pk}),
    Case(
        "meetings:plan_adjust",
        HUB_POST,
        kwargs=lambda w: {"pk": w.draft.pk},
        method="post",
        data=lambda w: {
            "op": "swap",
            "first": "monthly_topic-1",
            "second": "monthly_topic-2",
            "version": 1,
        },
    ),
    Case(
        "meetings:plan_confirm",
        HUB_POST,
        kwargs=lambda w: {"pk": w.draft.pk},
        method="post",
        data={"version": 1},
    ),
    Case("meetings:holidays", hub_only()),
    Case("meetings:holiday_notice", hub_only()),
    Case(
        "meetings:holiday_notice",
        hub_only(),
        method="post",
        data={
            "text": "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假1天。",
            "preview": "",
        },
    ),
    Case("meetings:holiday_delete", HUB_POST, kwargs=lambda w: {"pk": w.holiday.pk}, method="post"),
    Case("meetings:feed_settings", everyone()),
    Case("meetings:feed", public(), kwargs=lambda w: {"token": w.feed_token.token}),
]
