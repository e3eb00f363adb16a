"""The organisation's WeCom group: its director (or hub staff) connects the group's robot and chooses
which notifications it hears of."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, UpdateView

from hubsite.core.forms import StyledForm, VersionedModelForm
from hubsite.core.permissions import RoleRequiredMixin
from hubsite.core.roles import Role
from hubsite.core.views import FormPageMixin, VersionedSaveMixin

from .models import Organisation


def kind_choices(*, for_hub: bool = False):
    """The kinds an organisation's people can receive (partner roles; the hub's own row: hub roles)."""
    from hubsite.core.notifications import KINDS
    from hubsite.core.roles import HUB_ROLES, PARTNER_ROLES

    roles = set(HUB_ROLES if for_hub else PARTNER_ROLES)
    return [
        (code, kind.label)
        for code, kind in sorted(KINDS.items(), key=lambda item: str(item[1].label))
        if getattr(kind, "roles", None) is None or roles & set(kind.roles)
    ]


class OrganisationWeComForm(VersionedModelForm):
    """The robot's webhook address (checked against WECOM_WEBHOOK_HOSTS, https) and the kinds posted."""

    wecom_webhook_url = forms.URLField(
        label=_("WeCom group webhook"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_(
            "In the WeCom group: ⋯ > Group robots > Add > copy its webhook address "
            "(https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…). Leave empty to disconnect the group."
        ),
    )
    wecom_kinds = forms.MultipleChoiceField(
        label=_("kinds posted to the WeCom group"),
        choices=kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = ["wecom_webhook_url", "wecom_kinds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wecom_kinds"].choices = kind_choices(for_hub=self.instance.is_hub)

    def clean_wecom_webhook_url(self):
        from hubsite.core.notifications.channels.wecom import DisallowedWebhook, check_webhook_url

        url = self.cleaned_data["wecom_webhook_url"].strip()
        if url:
            try:
                check_webhook_url(url)
            except DisallowedWebhook as error:
                raise forms.ValidationError(str(error)) from error
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wecom_webhook_url") and not cleaned.get("wecom_kinds"):
            self.add_error("wecom_kinds", _("Choose at least one kind of notification for the group."))
        return cleaned


class OrganisationWeComView(RoleRequiredMixin, VersionedSaveMixin, FormPageMixin, UpdateView):
    """Hub staff for any organisation, a director for their own; another organisation's director
    gets 404, partner staff 403 (the address is a key to the group)."""

    allowed_roles = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.DIRECTOR})
    form_class = OrganisationWeComForm
    success_message = _("WeCom group saved.")

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def get_page_title(self):
        return _("WeCom group of %(name)s") % {"name": self.object.name}

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_success_url(self):
        return self.object.get_absolute_url() + "#wecom-group"


def group_panel(request, organisation) -> list[dict]:
    """The group box on the organisation's page, for the hub and the organisation's own people (no
    query: the page has the organisation). The address shows masked: its key is a secret."""
    from .wecom import masked

    user = request.user
    own = user.is_partner and user.organisation_id == organisation.pk
    if not (user.is_hub or own):
        return []
    from hubsite.core.notifications import kind_label

    return [
        {
            "template": "partners/_wecom_group.html",
            "organisation": organisation,
            "address": masked(organisation.wecom_webhook_url),
            "kinds": [kind_label(code) for code in organisation.wecom_kinds or []],
            "can_edit": user.is_hub or (own and user.is_director),
        }
    ]


class GroupTestForm(StyledForm):
    """Nothing to fill in: the button sends the test to the group the page names."""


class OrganisationWeComTestView(RoleRequiredMixin, FormPageMixin, FormView):
    """Sends a test message to the organisation's WeCom group and shows how the last one went
    (waiting, sent, or failed with WeCom's answer). Same people as the group's settings."""

    allowed_roles = OrganisationWeComView.allowed_roles
    form_class = GroupTestForm
    template_name = "partners/wecom_test.html"
    submit_label = _("Send a test message")

    def get_organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                Organisation.objects.editable_by(self.request.user), pk=self.kwargs["pk"]
            )
        return self._organisation

    def get_page_title(self):
        return _("Test the WeCom group of %(name)s") % {"name": self.get_organisation().name}

    def get_cancel_url(self):
        return self.get_organisation().get_absolute_url() + "#wecom-group"

    def get_context_data(self, **kwargs):
        from hubsite.core.notifications.group_test import last_test

        from .wecom import masked

        context = super().get_context_data(**kwargs)
        url = self.get_organisation().wecom_webhook_url
        context.update(address=masked(url), test=last_test(url))
        return context

    def form_valid(self, form):
        from hubsite.core.notifications.channels.wecom import DisallowedWebhook
        from hubsite.core.notifications.group_test import do_send_group_test

        organisation = self.get_organisation()
        if not organisation.wecom_webhook_url:
            form.add_error(None, _("Connect the organisation's WeCom group first."))
            return self.form_invalid(form)
        try:
            do_send_group_test(
                by=self.request.user,
                webhook_url=organisation.wecom_webhook_url,
                group=organisation.display_name,
                url=organisation.get_absolute_url(),
            )
        except DisallowedWebhook as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Test message on its way; this page shows whether it arrived."))
        return redirect("partners:organisation_wecom_test", pk=organisation.pk)
