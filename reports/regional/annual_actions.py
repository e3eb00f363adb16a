"""Writes about an annual report's words: create from the draft, stories and their consent, the share
link and publishing. Each ``do_*`` is one transaction; its notices go out with it (e-mails on commit,
through the outbox), so a decision is never recorded without the person waiting for it being told.

Who may do what is decided by the views' querysets (``editable_by``) and checked again here where a
forged request could otherwise act for someone else (consent answers, publishing).
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubsite.core.language import language_of
from hubsite.core.models import StaleObjectError
from hubsite.core.notifications import notify, object_key, register_kind
from hubsite.core.roles import HUB_ROLES, Role
from partners.models import Organisation, User

from ..models import AnnualNarrative, AnnualStory, MonthlyReport
from . import narrative as drafting
from . import periods

# Who can receive each (the reminder settings offer a kind only to them).
STORY_CONSENT = register_kind(
    "reports.story_consent",
    gettext_lazy("A story about your organisation for the annual report"),
    required=True,
    roles={Role.DIRECTOR},
)
STORY_ANSWERED = register_kind(
    "reports.story_answered",
    gettext_lazy("A partner answered about its story in the annual report"),
    roles=HUB_ROLES,
)
ANNUAL_PUBLISHED = register_kind(
    "reports.annual_published", gettext_lazy("The region's annual report published"), roles={Role.VIEWER}
)

MAX_STORIES = 30
ASK_AGAIN_AFTER = datetime.timedelta(days=1)


def _directors(organisation_id: int):
    return User.objects.filter(organisation_id=organisation_id, role=Role.DIRECTOR, is_active=True).order_by(
        "pk"
    )


def _is_director_of(user, organisation_id: int | None) -> bool:
    return bool(user.is_director and organisation_id and user.organisation_id == organisation_id)


def _speaks_for(user, organisation) -> bool:
    """Who agrees for an organisation: its director; for the hub's own centres, hub staff."""
    return _is_director_of(user, organisation.pk) or (user.is_hub and organisation.is_hub)


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def do_create_narrative(
    *, by, kind: str, start: datetime.date, organisation=None
) -> tuple[AnnualNarrative, bool]:
    """The text for the period, drafted from its data; or the one that exists (created False).

    A director's is always its own organisation's, whatever was posted (the server sets it); the hub
    writes the region's (``organisation`` None) or, when it helps a partner, that partner's.
    """
    if not by.is_hub:
        if not by.is_director or not by.organisation_id:
            raise PermissionDenied
        organisation = by.organisation
    start = periods.normalise(kind, start)
    existing = AnnualNarrative.objects.filter(
        organisation=organisation, period_kind=kind, period_start=start
    ).first()
    if existing is not None:
        return existing, False
    text = drafting.draft(organisation, kind, start)
    try:
        with transaction.atomic():
            return (
                AnnualNarrative.objects.create(
                    organisation=organisation, period_kind=kind, period_start=start, updated_by=by, **text
                ),
                True,
            )
    except IntegrityError:
        # A colleague created it between our look and our write: theirs stands.
        return AnnualNarrative.objects.get(
            organisation=organisation, period_kind=kind, period_start=start
        ), False


def do_save_narrative(*, by, narrative: AnnualNarrative, version: int) -> AnnualNarrative:
    """Save the edited words unless someone saved since ``version`` was loaded (StaleObjectError)."""
    narrative.updated_by = by
    narrative.save_versioned(version)
    return narrative


def story_candidates(narrative: AnnualNarrative):
    """Monthly reports of the period with highlights written, handed in (submitted or approved), that
    this text may take a story from: any partner's for the region, the organisation's own otherwise."""
    from ..choices import COUNTED_STATUSES

    first, last = periods.bounds(narrative.period_kind, narrative.period_start)
    reports = MonthlyReport.objects.filter(
        month__gte=first,
        month__lte=last,
        status__in=COUNTED_STATUSES,
        values__indicator__code="highlights",
        values__text__gt="",
    )
    if narrative.organisation_id:
        reports = reports.filter(organisation_id=narrative.organisation_id)
    return reports


def highlights_of(report: MonthlyReport) -> str:
    value = report.values.filter(indicator__code="highlights").exclude(text="").first()
    return value.text if value else ""


def do_create_story(*, by, narrative: AnnualNarrative, report_id: int) -> AnnualStory:
    """A story from one monthly report's highlights, to edit. Made by the one who would be asked (the
    organisation's director; hub staff for the hub's own centres), it is agreed at once."""
    report = (
        story_candidates(narrative).filter(pk=report_id).select_related("organisation").distinct().first()
    )
    if report is None:
        raise ValidationError({"report": _("Choose a monthly report of this period that has highlights.")})
    with transaction.atomic():
        locked = AnnualNarrative.objects.select_for_update().get(pk=narrative.pk)
        if locked.stories.count() >= MAX_STORIES:
            raise ValidationError(_("A report holds at most %(count)s stories.") % {"count": MAX_STORIES})
        month = _("%(year)s-%(month)02d") % {"year": report.month.year, "month": report.month.month}
        story = AnnualStory(
            narrative=locked,
            position=locked.stories.count() + 1,
            title=(f"{report.organisation.short_name or report.organisation.name} {month}")[:100],
            body=highlights_of(report)[:3000],
            organisation=report.organisation,
            source_report=report,
        )
        if _speaks_for(by, report.organisation):
            story.consented_at, story.consented_by = timezone.now(), by
        story.save()
    return story


def story_photos(story: AnnualStory):
    """The photos a story may show: its monthly report's, and only those usable for funders (a photo
    of children without the parents' recorded consent never is)."""
    from hubsite.core.models import Attachment

    if story.source_report_id is None:
        return Attachment.objects.none()
    return (
        Attachment.objects.for_model(MonthlyReport)
        .filter(object_id=story.source_report_id)
        .photos()
        .usable_for_funders()
    )


def do_save_story(
    *, by, story: AnnualStory, version: int, title: str, body: str, photo=None, position=None
) -> AnnualStory:
    """Save a story's words and photo. The organisation's director saving it agrees to it; anyone else
    changing what it says (or shows) takes a given agreement back, since that was for the old text."""
    changed = (title, body, photo.pk if photo else None) != (story.title, story.body, story.photo_id)
    if photo is not None and not story_photos(story).filter(pk=photo.pk).exists():
        raise ValidationError({"photo": _("Choose one of the report's photos that may be shown to funders.")})
    story.title, story.body, story.photo = title, body, photo
    if position is not None:
        story.position = position
    if _speaks_for(by, story.organisation):
        story.consented_at, story.consented_by = timezone.now(), by
        story.consent_declined_at, story.consent_note = None, ""
    elif changed and (story.consented_at or story.consent_declined_at):
        story.consented_at = story.consented_by = story.consent_declined_at = None
        story.consent_requested_at = story.consent_requested_by = None
        story.consent_note = ""
    story.save_versioned(version)
    return story


def do_request_story_consent(*, by, story: AnnualStory) -> int:
    """Ask the story's organisation to agree to it: its directors are told at once (a notice with a
    link to the page where they agree or decline). Returns how many were told."""
    if not by.is_hub:
        raise PermissionDenied
    with transaction.atomic():
        locked = AnnualStory.objects.select_for_update().get(pk=story.pk)
        now = timezone.now()
        if locked.consented_at or (
            # A second click (or a colleague's) within a day is not a second notice.
            locked.consent_requested_at
            and not locked.consent_declined_at
            and now - locked.consent_requested_at < ASK_AGAIN_AFTER
        ):
            story.__dict__.update(locked.__dict__)
            return 0
        locked.consent_requested_at, locked.consent_requested_by = now, by
        locked.consent_declined_at, locked.consent_note = None, ""
        locked.version += 1
        locked.save()
        story.__dict__.update(locked.__dict__)
        told = 0
        for director in _directors(locked.organisation_id):
            # Each in their own language; a step per request, so asking again after a decline and
            # an edit is a new notice.
            with translation.override(language_of(director)):
                values = {"title": locked.title, "report": locked.narrative.title}
                subject = _("May we tell your story in the annual report? %(title)s") % values
                body = (
                    _(
                        "The hub would like to print the story “%(title)s” in %(report)s. Please read it "
                        "and agree or decline; it is printed only once you agree."
                    )
                    % values
                )
            told += bool(
                notify(
                    STORY_CONSENT.code,
                    director,
                    key=object_key(locked),
                    step=f"ask:{now.isoformat()}",
                    subject=subject,
                    body=body,
                    url=_url("reports:annual_story_consent", locked.pk),
                )
            )
    return told


def do_answer_story_consent(
    *, by, story: AnnualStory, version: int, agree: bool, note: str = ""
) -> AnnualStory:
    """The organisation's director agrees or declines; the hub person who asked is told."""
    if not _is_director_of(by, story.organisation_id):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        if agree:
            story.consented_at, story.consented_by = now, by
            story.consent_declined_at = None
        else:
            story.consented_at = story.consented_by = None
            story.consent_declined_at = now
        story.consent_note = note
        story.save_versioned(version)
        asker = story.consent_requested_by
        if asker is not None and asker.is_active:
            with translation.override(language_of(asker)):
                values = {"organisation": story.organisation, "title": story.title}
                if agree:
                    subject = _("%(organisation)s agreed to the story “%(title)s”") % values
                else:
                    subject = _("%(organisation)s declined the story “%(title)s”") % values
                body = subject
                if note:
                    body = f"{body}\n\n" + _("Their note: %(note)s") % {"note": note}
            notify(
                STORY_ANSWERED.code,
                asker,
                key=object_key(story),
                step=f"answer:{now.isoformat()}",
                subject=subject,
                body=body,
                url=story.narrative.get_absolute_url(),
            )
    return story


def do_remove_story(*, by, story: AnnualStory) -> None:
    story.delete()


def do_share_narrative(*, by, narrative: AnnualNarrative) -> str:
    """A new unguessable link (256 bits); any older link stops working."""
    with transaction.atomic():
        locked = AnnualNarrative.objects.select_for_update().get(pk=narrative.pk)
        locked.share_token = secrets.token_urlsafe(32)
        locked.updated_by = by
        locked.save(update_fields=["share_token", "updated_by", "updated_at"])
    narrative.share_token = locked.share_token
    return locked.share_token


def do_revoke_share(*, by, narrative: AnnualNarrative) -> None:
    """The link answers 404 from now on."""
    AnnualNarrative.objects.filter(pk=narrative.pk).update(
        share_token="", updated_by=by, updated_at=timezone.now()
    )
    narrative.share_token = ""


def do_publish_narrative(*, by, narrative: AnnualNarrative, publish: bool) -> AnnualNarrative:
    """Open (or close) the region's web edition to viewers. Viewers, the funders and officials it is
    written for, are told the first time it opens."""
    if not by.is_hub or not narrative.is_region:
        raise PermissionDenied
    with transaction.atomic():
        locked = AnnualNarrative.objects.select_for_update().get(pk=narrative.pk)
        first_time = publish and locked.published_at is None
        locked.published_at = timezone.now() if publish else None
        locked.save(update_fields=["published_at", "updated_at"])
        narrative.published_at = locked.published_at
        if first_time:
            # The web edition, where viewers read it.
            url = reverse(
                "reports:annual_web", args=[locked.period_kind, locked.period_start.strftime("%Y-%m")]
            )
            for viewer in User.objects.filter(role=Role.VIEWER, is_active=True).order_by("pk"):
                with translation.override(language_of(viewer)):
                    subject = _("Published: %(title)s") % {"title": locked.title}
                    body = _("The hub has published %(title)s. You can read it on the site.") % {
                        "title": locked.title
                    }
                notify(
                    ANNUAL_PUBLISHED.code, viewer, key=object_key(locked), subject=subject, body=body, url=url
                )
    return narrative


def hub_organisation_id() -> int | None:
    return Organisation.objects.filter(is_hub=True).order_by("pk").values_list("pk", flat=True).first()


def register_attachments() -> None:
    """Logo and cover photos of an annual text. The region's files belong to the hub's own
    organisation row (``is_hub``), a partner's to that partner, so attachment scoping holds."""
    from hubsite.core import attachments
    from hubsite.core.models import AttachmentKind

    attachments.register(
        AnnualNarrative,
        can_view=lambda user, narrative: True,
        can_add=lambda user, narrative: user.is_hub or _is_director_of(user, narrative.organisation_id),
        kinds=[AttachmentKind.LOGO, AttachmentKind.PHOTO],
        max_count=6,
        organisation_of=lambda narrative: narrative.organisation_id or hub_organisation_id(),
    )


__all__ = [
    "StaleObjectError",
    "do_create_narrative",
    "do_save_narrative",
    "do_create_story",
    "do_save_story",
    "do_request_story_consent",
    "do_answer_story_consent",
    "do_remove_story",
    "do_share_narrative",
    "do_revoke_share",
    "do_publish_narrative",
    "register_attachments",
]
