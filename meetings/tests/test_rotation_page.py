"""The rotation page tells months already held from months still planned: a partner planned to host
next month is "next", not "last hosted", and its meeting sits under "Planned", not "History"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from meetings.choices import MeetingKind

pytestmark = pytest.mark.django_db


def section(html: str, element_id: str) -> str:
    """The text of the element with that id, up to its closing tag (tables and lists do not nest here)."""
    match = re.search(rf'id="{element_id}".*?</(ol|table)>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return match.group(0)


def queue_row(html: str, org) -> str:
    (row,) = [li for li in section(html, "rotation-queue").split("<li")[1:] if str(org) in li]
    return row


def zh(message: str, context: str | None = None) -> str:
    """The words as the page shows them (Chinese, the site's language, once the catalogue has them)."""
    with translation.override("zh-hans"):
        return pgettext(context, message) if context else gettext(message)


def month(meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m")


@pytest.fixture
def rotation(make_partner_org, make_meeting):
    held = make_partner_org("已发起", joined=datetime.date(2023, 1, 1))
    planned = make_partner_org("已排期", joined=datetime.date(2023, 2, 1))
    both = make_partner_org("两者都有", joined=datetime.date(2023, 3, 1))
    never = make_partner_org("从未", joined=datetime.date(2023, 4, 1))
    return {
        "held": held,
        "planned": planned,
        "both": both,
        "never": never,
        "past": make_meeting(MeetingKind.MONTHLY_TOPIC, days=-60, host=held, title="过去的主题"),
        "future": make_meeting(MeetingKind.MONTHLY_TOPIC, days=40, host=planned, title="将来的主题"),
        "both_past": make_meeting(MeetingKind.MONTHLY_TOPIC, days=-120, host=both),
        "both_future": make_meeting(MeetingKind.MONTHLY_TOPIC, days=70, host=both),
    }


def test_a_partner_planned_to_host_reads_as_next_not_as_last_hosted(rotation, client_for, hub_staff):
    html = client_for(hub_staff).get(reverse("meetings:rotation")).content.decode()
    planned = queue_row(html, rotation["planned"])
    next_, last, never = zh("next hosts"), zh("last hosted"), zh("never hosted")
    assert f'class="rotation-next">{next_} {month(rotation["future"])}<' in planned
    assert last not in planned and never not in planned
    held = queue_row(html, rotation["held"])
    assert f'class="rotation-last">{last} {month(rotation["past"])}<' in held and next_ not in held
    both = queue_row(html, rotation["both"])
    assert f'class="rotation-next">{next_} {month(rotation["both_future"])}<' in both
    assert f'class="rotation-last">{last} {month(rotation["both_past"])}<' in both
    assert never in queue_row(html, rotation["never"])


def test_future_months_are_listed_as_planned_and_past_ones_as_history(rotation, client_for, partner):
    html = client_for(partner).get(reverse("meetings:rotation")).content.decode()
    planned, history = section(html, "rotation-planned"), section(html, "rotation-history")
    assert f">{zh('Planned', 'rotation')}</h2>" in html and f">{zh('History', 'meetings')}</h2>" in html
    for meeting in (rotation["future"], rotation["both_future"]):
        assert meeting.get_absolute_url() in planned and meeting.get_absolute_url() not in history
    for meeting in (rotation["past"], rotation["both_past"]):
        assert meeting.get_absolute_url() in history and meeting.get_absolute_url() not in planned
    # Soonest first among the planned months; latest first in the history.
    assert planned.index(month(rotation["future"])) < planned.index(month(rotation["both_future"]))
    assert history.index(month(rotation["past"])) < history.index(month(rotation["both_past"]))


def test_with_only_planned_months_the_history_says_none_was_held_yet(
    make_partner_org, make_meeting, client_for, viewer
):
    make_meeting(MeetingKind.MONTHLY_TOPIC, days=20, host=make_partner_org())
    html = client_for(viewer).get(reverse("meetings:rotation")).content.decode()
    assert zh("No monthly topic meeting held yet.") in section(html, "rotation-history")


def test_with_nothing_planned_there_is_no_planned_table(make_partner_org, make_meeting, client_for, viewer):
    make_meeting(MeetingKind.MONTHLY_TOPIC, days=-20, host=make_partner_org())
    html = client_for(viewer).get(reverse("meetings:rotation")).content.decode()
    assert 'id="rotation-planned"' not in html and 'id="rotation-history"' in html


def test_the_skip_form_lists_every_active_partner_by_name_as_django_would(
    rotation, make_partner_org, client_for, hub_staff
):
    from django.test.html import parse_html

    from meetings.forms import SkipForm
    from partners.choices import OrganisationStatus

    make_partner_org("暂停的", status=OrganisationStatus.PAUSED)  # not in the queue, not in the list
    make_partner_org("<b>尖括号</b> & 社工")  # escaped like everywhere else
    html = client_for(hub_staff).get(reverse("meetings:rotation")).content.decode()
    ours = re.search(r'<select name="organisation".*?</select>', html, re.S).group(0)
    with translation.override("zh-hans"):
        django = str(SkipForm()["organisation"].as_widget(attrs={"class": "form-select"}))
    assert parse_html(ours) == parse_html(django)
    assert "暂停的" not in ours and "&lt;b&gt;尖括号&lt;/b&gt; &amp; 社工" in ours


def test_the_queue_starts_with_the_planned_hosts_soonest_first_then_the_rotations_order(
    rotation, client_for, hub_staff
):
    html = client_for(hub_staff).get(reverse("meetings:rotation")).content.decode()
    rows = section(html, "rotation-queue").split("<li")[1:]
    names = [next(str(org) for org in rotation.values() if str(org) in row) for row in rows]
    # 已排期 hosts in 40 days and 两者都有 in 70: the first row is the real next host. Then the
    # partners without a planned turn, never hosted first.
    assert names[:2] == [str(rotation["planned"]), str(rotation["both"])]
    assert names[2:] == [str(rotation["never"]), str(rotation["held"])]


def test_a_long_plan_does_not_push_the_held_months_off_the_page(
    make_partner_org, make_meeting, client_for, hub_staff
):
    from meetings.views.supervision import HISTORY_MONTHS

    host = make_partner_org("发起方", joined=datetime.date(2020, 1, 1))
    held = make_meeting(MeetingKind.MONTHLY_TOPIC, days=-30, host=host, title="已开过的主题")
    for n in range(HISTORY_MONTHS + 2):  # more planned months than the page lists
        make_meeting(MeetingKind.MONTHLY_TOPIC, days=30 * (n + 1), host=host, title=f"计划{n}")
    html = client_for(hub_staff).get(reverse("meetings:rotation")).content.decode()
    assert f'/meetings/{held.pk}/">{month(held)}</a>' in section(html, "rotation-history")
    assert section(html, "rotation-planned").count("<tr") - 1 == HISTORY_MONTHS  # less the header row
