"""Pages for the annual report's words: the texts, a text's editor, stories and their consent, the
share link and publishing, and the shared web edition (no login).

Objects are looked up in ``editable_by``/``for_user`` (another organisation's text answers 404); a
director's text is always its own organisation's (the server sets it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import UpdateView

from hubsite.core.forms import STALE_MESSAGE, StyledForm
from hubsite.core.models import StaleObjectError
from hubsite.core.permissions import DirectorRequiredMixin, HubRequiredMixin, RoleRequiredMixin
from hubsite.core.roles import Role
from hubsite.core.views import ActionFormView, FormPageMixin, add_validation_errors

from ..models import AnnualNarrative, AnnualStory, ReportValue
from . import annual_actions as actions
from .annual_forms import (
    ConsentAnswerForm,
    NarrativeCreateForm,
    NarrativeForm,
    PublishForm,
    ShareForm,
    StoryForm,
    StoryPickForm,
)

WRITER_ROLES = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.DIRECTOR})
# The token is 43 characters of URL-safe base64; anything else is not worth a query.
TOKEN_LENGTH = 43


class WriterMixin(RoleRequiredMixin):
    """Hub staff (every text) and partner directors (their organisation's)."""

    allowed_roles = WRITER_ROLES

    def narratives(self):
        return AnnualNarrative.objects.editable_by(self.request.user).select_related("organisation")


class AnnualTextListView(WriterMixin, ActionFormView):
    """The texts this person may write, newest period first, and the form to start one from a draft."""

    template_name = "reports/annual/list.html"
    form_class = NarrativeCreateForm
    http_method_names = ["get", "post", "head", "options"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        texts = self.narratives().order_by("-period_start", "period_kind", "organisation__name")[:100]
        waiting = []
        if self.request.user.is_director:
            # The hub's requests this director has not answered yet (the notice may be long gone).
            waiting = (
                AnnualStory.objects.for_user(self.request.user)
                .filter(
                    organisation_id=self.request.user.organisation_id,
                    consent_requested_at__isnull=False,
                    consented_at__isnull=True,
                    consent_declined_at__isnull=True,
                )
                .select_related("narrative__organisation")
                .order_by("consent_requested_at")
            )
        return super().get_context_data(texts=texts, waiting=waiting, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        narrative, created = actions.do_create_narrative(
            by=self.request.user,
            kind=data["period_kind"],
            start=data["start"],
            organisation=data.get("organisation"),
        )
        if created:
            messages.success(
                self.request, _("A draft was written from the period's figures: read it and make it yours.")
            )
        else:
            messages.info(self.request, _("This text exists already: here it is."))
        return narrative

    def get_success_url(self):
        return self.result.get_absolute_url()


class AnnualTextEditView(WriterMixin, FormPageMixin, UpdateView):
    """The words, the logo and cover photo (attachments), the stories with their consent, the share
    link and (the region's) publishing."""

    template_name = "reports/annual/edit.html"
    form_class = NarrativeForm
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return self.narratives()

    def get_page_title(self):
        return self.object.title

    def get_context_data(self, **kwargs):
        stories = list(
            self.object.stories.select_related("organisation", "photo", "source_report").order_by(
                "position", "pk"
            )
        )
        share_url = (
            self.request.build_absolute_uri(_shared_path(self.object.share_token))
            if self.object.share_token
            else ""
        )
        return super().get_context_data(
            narrative=self.object,
            stories=stories,
            share_url=share_url,
            web_url=_web_url(self.object),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            actions.do_save_narrative(
                by=self.request.user, narrative=form.save(commit=False), version=form.cleaned_data["version"]
            )
        except StaleObjectError:
            form.add_error(None, STALE_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


def _web_url(narrative) -> str:
    """The region's web edition page (viewers read it there once published); a partner's text is
    previewed through this app's own page (its readers come by the share link)."""
    if not narrative.is_region:
        return reverse("reports:annual_text_preview", args=[narrative.pk])
    try:
        return reverse(
            "reports:annual_web", args=[narrative.period_kind, narrative.period_start.strftime("%Y-%m")]
        )
    except NoReverseMatch:
        return ""


def _shared_path(token: str) -> str:
    return reverse("reports:annual_shared", args=[token])


class NarrativeActionMixin(WriterMixin):
    """A POST about one text this person may write, then back to its page."""

    form_class = StyledForm
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role in self.allowed_roles:
            self.narrative = get_object_or_404(self.narratives(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.narrative.get_absolute_url()

    def get_success_url(self):
        return self.narrative.get_absolute_url()


class StoryPickView(NarrativeActionMixin, ActionFormView):
    """The period's monthly highlights to make a story of (any partner's for the region's text)."""

    template_name = "reports/annual/story_pick.html"
    form_class = StoryPickForm
    submit_label = pgettext_lazy("button", "Make a story of it")

    def get_page_title(self):
        return _("Pick a story: %(title)s") % {"title": self.narrative.title}

    def candidates(self):
        return (
            actions.story_candidates(self.narrative)
            .select_related("organisation")
            .distinct()
            .order_by("-month", "organisation__name")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reports": self.candidates()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = list(context["form"].fields["report"].queryset[:200])
        texts = dict(
            ReportValue.objects.filter(report__in=[r.pk for r in reports], indicator__code="highlights")
            .exclude(text="")
            .values_list("report_id", "text")
        )
        taken = set(self.narrative.stories.values_list("source_report_id", flat=True))
        context["choices"] = [(r, texts.get(r.pk, ""), r.pk in taken) for r in reports]
        context["narrative"] = self.narrative
        return context

    def perform(self, form):
        return actions.do_create_story(
            by=self.request.user, narrative=self.narrative, report_id=form.cleaned_data["report"].pk
        )

    def get_success_url(self):
        return self.result and _story_url(self.result)


def _story_url(story) -> str:
    return reverse("reports:annual_story_edit", args=[story.pk])


class ShareView(NarrativeActionMixin, ActionFormView):
    """Create (or renew) the link anyone may read the web edition by, or revoke it."""

    form_class = ShareForm
    page_title = gettext_lazy("Share link")

    def perform(self, form):
        if form.cleaned_data["action"] == "create":
            actions.do_share_narrative(by=self.request.user, narrative=self.narrative)
            messages.success(
                self.request,
                _("Anyone with the new link can read this report; an older link no longer works."),
            )
        else:
            actions.do_revoke_share(by=self.request.user, narrative=self.narrative)
            messages.success(self.request, _("The link no longer works."))


class PublishView(HubRequiredMixin, NarrativeActionMixin, ActionFormView):
    """Open the region's web edition to viewers (or close it again)."""

    form_class = PublishForm
    page_title = pgettext_lazy("annual report", "Publish")

    def narratives(self):
        return super().narratives().filter(organisation__isnull=True)

    def perform(self, form):
        publish = form.cleaned_data["action"] == "publish"
        actions.do_publish_narrative(by=self.request.user, narrative=self.narrative, publish=publish)
        if publish:
            messages.success(self.request, _("Published: viewers can now read this report."))
        else:
            messages.success(self.request, _("Withdrawn: viewers no longer see this report."))


class StoryMixin(WriterMixin):
    def get_queryset(self):
        return AnnualStory.objects.editable_by(self.request.user).select_related(
            "narrative__organisation", "organisation", "photo", "source_report"
        )


class StoryEditView(StoryMixin, FormPageMixin, UpdateView):
    template_name = "reports/annual/story_form.html"
    form_class = StoryForm
    http_method_names = ["get", "post", "head", "options"]

    def get_page_title(self):
        return _("Story: %(title)s") % {"title": self.object.title}

    def get_cancel_url(self):
        return self.object.narrative.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "photos": actions.story_photos(self.object)}

    def form_valid(self, form):
        data = form.cleaned_data
        story = self.get_queryset().get(pk=self.object.pk)  # the stored one, for what changed
        try:
            actions.do_save_story(
                by=self.request.user,
                story=story,
                version=data["version"],
                title=data["title"],
                body=data["body"],
                photo=data.get("photo"),
                position=data["position"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        except StaleObjectError:
            form.add_error(None, STALE_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, _("Saved."))
        return redirect(story.narrative.get_absolute_url())


class StoryActionMixin(StoryMixin):
    form_class = StyledForm
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role in self.allowed_roles:
            self.story = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.story.narrative.get_absolute_url()

    def get_success_url(self):
        return self.story.narrative.get_absolute_url()


class StoryAskView(HubRequiredMixin, StoryActionMixin, ActionFormView):
    """The hub asks the story's organisation to agree (its directors are told at once)."""

    page_title = gettext_lazy("Ask the organisation to agree")
    submit_label = pgettext_lazy("button", "Ask")

    def perform(self, form):
        told = actions.do_request_story_consent(by=self.request.user, story=self.story)
        if told:
            messages.success(self.request, _("Asked: the organisation's director has been told."))
        elif self.story.consented_at:
            messages.info(self.request, _("The organisation has agreed already."))
        elif timezone.now() - self.story.consent_requested_at < actions.ASK_AGAIN_AFTER:
            messages.info(self.request, _("Already asked today: the director has the notice."))
        else:
            messages.warning(self.request, _("Asked, but the organisation has no active director to tell."))


class StoryRemoveView(StoryActionMixin, ActionFormView):
    page_title = gettext_lazy("Remove the story?")
    submit_label = pgettext_lazy("button", "Remove")

    def perform(self, form):
        actions.do_remove_story(by=self.request.user, story=self.story)
        messages.success(self.request, _("The story was removed."))


class StoryConsentView(DirectorRequiredMixin, ActionFormView):
    """The director of the story's organisation reads it (with its photo) and agrees or declines."""

    template_name = "reports/annual/consent.html"
    form_class = ConsentAnswerForm
    submit_label = pgettext_lazy("button", "Send my answer")
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_director:
            self.story = get_object_or_404(
                AnnualStory.objects.for_user(request.user)
                .filter(organisation_id=request.user.organisation_id)
                .select_related("narrative__organisation", "organisation", "photo", "consent_requested_by"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("A story about %(organisation)s") % {"organisation": self.story.organisation}

    def get_initial(self):
        answer = {"agreed": "agree", "declined": "decline"}.get(self.story.consent_state)
        return {"version": self.story.version, "answer": answer, "note": self.story.consent_note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(story=self.story, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        actions.do_answer_story_consent(
            by=self.request.user,
            story=self.story,
            version=data["version"],
            agree=data["answer"] == "agree",
            note=data["note"],
        )

    def get_success_message(self):
        if self.story.consented_at:
            return _("Thank you: the story may be printed.")
        return _("Thank you: the story will not be printed.")

    def get_success_url(self):
        return reverse("reports:annual_story_consent", args=[self.story.pk])


class PreviewView(WriterMixin, View):
    """The web edition of a text this person may write, as readers will see it (before sharing it)."""

    def get(self, request, pk):
        from .annual_web import render_web

        response = render_web(request, get_object_or_404(self.narratives(), pk=pk))
        response["Cache-Control"] = "private, no-store"
        return response


def shared_annual(request, token: str):
    """The web edition by its share link, for anyone holding it (no login). A revoked or unknown
    link answers 404, the same for both. Never cached, never indexed, and the link is not passed on
    as a Referer to pages it links to."""
    if len(token) != TOKEN_LENGTH:
        raise Http404
    narrative = (
        AnnualNarrative.objects.filter(share_token=token)
        .exclude(share_token="")
        .select_related("organisation")
        .first()
    )
    if narrative is None:
        raise Http404
    from .annual_web import render_web

    response = render_web(request, narrative)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


__all__ = [
    "AnnualTextListView",
    "AnnualTextEditView",
    "StoryPickView",
    "ShareView",
    "PublishView",
    "StoryEditView",
    "StoryAskView",
    "StoryRemoveView",
    "StoryConsentView",
    "PreviewView",
    "shared_annual",
]
