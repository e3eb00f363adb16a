"""The group page's member rows and centre cards, drawn in one Python pass.

At 100x the group has a hundred members with their centres and endorsed experiences: drawn through
the template's nested loops that was most of the page's time (two thousand variable lookups, a
translation per experience's area). The HTML is the same as ``mutualaid/group.html`` drew it, from
strings escaped here, with each word translated once per page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from partners.choices import ExperienceArea

_PK_MARK = "987654321987654321"  # reversed once, the real pk put in its place


def member_rows(memberships, *, is_hub: bool) -> SafeString:
    """Each membership's ``<tr>``: organisation, cohort, operating centres, endorsed experiences, the
    rights used this year and (hub staff) the button that ends the membership."""
    since = escape(gettext("since"))
    funding = escape(gettext("Expansion funding"))
    visits = escape(gettext("Study visits"))
    sessions = escape(gettext("Coaching and support"))
    end_label = escape(gettext("End membership"))
    areas = {value: escape(str(label)) for value, label in ExperienceArea.choices}
    organisation_url = reverse("partners:organisation_detail", args=[_PK_MARK])
    end_url = reverse("mutualaid:membership_end", args=[_PK_MARK])
    rows = []
    for m in memberships:
        org = m.organisation
        centres = "".join(f"<div>{escape(c.name)}</div>" for c in org.centres.all()) or "—"
        experiences = (
            "".join(
                f'<div><span class="badge text-bg-light">{areas.get(e.area, escape(e.area))}</span> '
                f"{escape(e.title)}</div>"
                for e in org.endorsed_experiences
            )
            or "—"
        )
        end = (
            f'<td><a class="btn btn-sm btn-outline-secondary" '
            f'href="{end_url.replace(_PK_MARK, str(m.pk))}">{end_label}</a></td>'
            if is_hub
            else ""
        )
        rows.append(
            "<tr>\n"
            f'    <td><a href="{organisation_url.replace(_PK_MARK, str(org.pk))}">{escape(org.display_name)}</a>'
            f'<div class="small text-muted">{escape(org.prefecture)} · {since} '
            f"{date_format(m.joined_on, 'Y-m-d') if m.joined_on else ''}</div></td>\n"
            f"    <td>{escape(m.cohort)}</td>\n"
            f"    <td>{centres}</td>\n"
            f"    <td>{experiences}</td>\n"
            f'    <td class="small">{funding}: {m.rights["funding"]}<br>{visits}: {m.rights["visits"]}<br>'
            f"{sessions}: {m.rights['sessions']}</td>\n"
            f"    {end}\n"
            "  </tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above went through escape()


def centre_cards(centres_by_prefecture) -> SafeString:
    """A card per prefecture listing the members' centres in it, with each centre's organisation."""
    cards = []
    for prefecture, centres in centres_by_prefecture:
        items = "".join(
            f'<li>{escape(c.name)} <span class="text-muted small">{escape(c.organisation.display_name)}</span></li>'
            for c in centres
        )
        cards.append(
            '\n  <div class="col-12 col-md-6 col-lg-4"><div class="card card-body">'
            f"<strong>{escape(prefecture)}</strong>\n"
            f'    <ul class="mb-0">{items}</ul></div></div>\n'
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above went through escape()
