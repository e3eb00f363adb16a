"""iCalendar output (RFC 5545) with the ``icalendar`` package: one meeting or a person's feed."""

from __future__ import annotations

from django.conf import settings
from icalendar import Calendar, Event

from .choices import MeetingStatus

# A held meeting did take place as confirmed; only a planned one is still tentative.
ICS_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def _event(meeting, base_url: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@hubsite")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.updated_at)
    event.add("sequence", meeting.version)
    if meeting.place:
        event.add("location", meeting.place)
    url = f"{base_url}{meeting.get_absolute_url()}"
    event.add("url", url)
    description = "\n".join(filter(None, [meeting.topic, meeting.online_link, url]))
    event.add("description", description)
    event.add("status", ICS_STATUS[meeting.status])
    return event


def calendar_bytes(meetings, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//hubsite//meetings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    base_url = settings.SITE_URL.rstrip("/")
    for meeting in meetings:
        cal.add_component(_event(meeting, base_url))
    return cal.to_ical()


def webcal_url(url: str) -> str:
    """The feed's address as phones subscribe to it (``webcal://`` opens the calendar app)."""
    scheme, _sep, rest = url.partition("://")
    return f"webcal://{rest}" if scheme in ("http", "https") else url
