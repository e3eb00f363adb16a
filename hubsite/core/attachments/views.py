"""Upload, download, thumbnail, consent and removal of attachments, for any registered model.

Every view finds the owner in ``policy.model.objects.for_user(user)`` and asks the policy; the file
is found in ``Attachment.objects.for_user(user)`` as well. Anything another organisation's person
asks for answers 404, whether it exists or not.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View

from hubsite.core.files import content_disposition, serve_protected
from hubsite.core.forms import StyledForm
from hubsite.core.views import ActionFormView

from .actions import do_add_attachment, do_remove_attachment, do_set_consent
from .forms import AttachmentForm, ConsentForm
from .models import Attachment
from .registry import policy_for
from .storage import is_local


def find_owner(request, model_key: str, object_id: int):
    """(policy, owner) for a person who may see the owner; 404 otherwise."""
    policy = policy_for(model_key)
    if policy is None:
        raise Http404
    owner = get_object_or_404(policy.model.objects.for_user(request.user), pk=object_id)
    if not policy.can_view(request.user, owner):
        raise Http404
    return policy, owner


def find_attachment(request, pk: int):
    """(policy, attachment) for a person who may see the attachment's owner; 404 otherwise."""
    attachment = get_object_or_404(
        Attachment.objects.for_user(request.user).select_related("content_type"), pk=pk
    )
    model = attachment.content_type.model_class()
    if model is None:
        raise Http404
    policy, owner = find_owner(request, model._meta.label_lower, attachment.object_id)
    attachment.owner = owner
    return policy, attachment


def serve(request, field_file, download_name: str, content_type: str):
    if is_local(field_file.storage):
        return serve_protected(request, field_file, download_name, content_type=content_type)
    # An object store: nginx cannot read it, so the bytes always pass through here (same headers).
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ReturnToOwnerMixin:
    """Back to the page the person came from (``next``, same site only) or to the owner's page."""

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return self.policy.return_url(self.owner)

    def get_cancel_url(self):
        return self.get_success_url()


class AttachmentAddView(LoginRequiredMixin, ReturnToOwnerMixin, ActionFormView):
    form_class = AttachmentForm
    template_name = "attachments/upload.html"
    submit_label = pgettext_lazy("button", "Upload")
    success_message = _("The file was attached.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.policy, self.owner = find_owner(request, kwargs["model"], kwargs["object_id"])
        if not self.policy.can_add(request.user, self.owner):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "policy": self.policy, "owner": self.owner}

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, next=self.get_success_url(), **kwargs)

    def get_page_title(self):
        return _("Attach a file: %(owner)s") % {"owner": self.owner}

    def perform(self, form):
        data = form.cleaned_data
        return do_add_attachment(
            self.policy,
            self.owner,
            by=self.request.user,
            upload=data["file"],
            kind=data["kind"],
            centre=data.get("centre"),
            shows_children=data["shows_children"],
            consent_recorded=data["consent_recorded"],
        )


class AttachmentChangeMixin(LoginRequiredMixin, ReturnToOwnerMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.policy, self.attachment = find_attachment(request, kwargs["pk"])
        self.owner = self.attachment.owner
        if not self.policy.can_add(request.user, self.owner):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AttachmentConsentView(AttachmentChangeMixin, ActionFormView):
    form_class = ConsentForm
    page_title = _("Children in the photo and consent")
    success_message = _("Saved.")

    def get_initial(self):
        return {
            "shows_children": self.attachment.shows_children,
            "consent_recorded": self.attachment.consent_recorded,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(subtitle=self.attachment.original_name, **kwargs)

    def perform(self, form):
        return do_set_consent(
            self.policy,
            self.attachment,
            by=self.request.user,
            shows_children=form.cleaned_data["shows_children"],
            consent_recorded=form.cleaned_data["consent_recorded"],
        )


class AttachmentRemoveView(AttachmentChangeMixin, ActionFormView):
    form_class = StyledForm
    page_title = _("Remove the file?")
    submit_label = pgettext_lazy("button", "Remove")
    success_message = _("The file was removed.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(subtitle=self.attachment.original_name, **kwargs)

    def perform(self, form):
        do_remove_attachment(self.policy, self.attachment, by=self.request.user)


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        _policy, attachment = find_attachment(request, pk)
        return serve(request, attachment.file, attachment.download_name, attachment.mime_type)


class AttachmentThumbnailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        _policy, attachment = find_attachment(request, pk)
        if not attachment.thumbnail:
            raise Http404
        return serve(request, attachment.thumbnail, f"thumbnail-{attachment.pk}.jpg", "image/jpeg")
