"""The one form page and the one field rendering, as the partners pages use them, and the interest
action that moved out of the coverage views."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from hubsite.core.forms import StyledForm
from hubsite.core.models import Notification, OutboxMessage
from partners import actions
from partners.choices import OrganisationStatus
from partners.models import Organisation


def test_a_partner_form_page_has_its_title_save_and_cancel(client_for, hub_staff, org_a):
    page = client_for(hub_staff).get(reverse("partners:organisation_status", args=[org_a.pk]))
    html = page.content.decode()
    assert "form_page.html" in [t.name for t in page.templates]
    assert re.search(r"<h1>变更 .* 的状态（当前：", html)
    assert '<button class="btn btn-hub" type="submit">保存</button>' in html
    assert f'href="{org_a.get_absolute_url()}">取消</a>' in html
    assert '<div class="row g-3">' in html


def test_a_create_page_cancels_to_the_directory(client_for, hub_staff):
    html = client_for(hub_staff).get(reverse("partners:organisation_create")).content.decode()
    assert f'href="{reverse("partners:organisation_list")}">取消</a>' in html


def test_an_error_is_shown_under_its_input_which_names_it(client_for, hub_staff, org_a):
    url = reverse("partners:organisation_status", args=[org_a.pk])
    html = client_for(hub_staff).post(url, {"status": "nonsense", "effective_on": ""}).content.decode()
    status_input = re.search(r"<select name=\"status\"[^>]*>", html).group(0)
    assert 'class="form-select is-invalid"' in status_input
    assert 'aria-describedby="id_status_error"' in status_input
    assert re.search(r'<div id="id_status_error"><div class="invalid-feedback d-block field-error">', html)


def test_the_person_page_keeps_its_buttons_below_the_form(client_for, hub_staff, partner):
    html = client_for(hub_staff).get(reverse("partners:person_edit", args=[partner.pk])).content.decode()
    form_end = html.index("</form>")
    assert html.index(reverse("partners:person_deactivate", args=[partner.pk])) > form_end


class _Foreign(forms.Form):
    """Stands for a form we do not write (allauth's), which only the template filter styles."""

    email = forms.EmailField(help_text="help")
    remember = forms.BooleanField(required=False)


class _Ours(StyledForm, _Foreign):
    """The same fields, styled by the form base."""


@pytest.mark.parametrize("form_class", [_Foreign, _Ours])
def test_a_field_is_styled_the_same_whether_the_form_or_the_filter_styles_it(form_class):
    form = form_class({"email": "not an address"})
    form.is_valid()
    html = render_to_string("includes/form_fields.html", {"form": form})
    assert 'class="form-control is-invalid"' in html
    assert 'class="form-check-input"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert '<div class="form-text" id="id_email_helptext">help</div>' in html


def test_an_interest_is_a_prospect_and_a_notification_whose_mail_waits_for_the_commit(
    hub_admin, hub_staff, prefectures, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        organisation = actions.do_register_interest(
            {
                "name": "巴马新芽社会工作服务中心",
                "prefecture": prefectures["451200"],
                "contact_name": "韦女士",
                "contact_phone": "13900000000",
                "description": "社区托育",
            }
        )
    assert Organisation.objects.get(pk=organisation.pk).status == OrganisationStatus.PROSPECT
    notifications = Notification.objects.filter(kind="partners.interest")
    assert {n.recipient for n in notifications} == {hub_admin, hub_staff}
    assert {n.object_key for n in notifications} == {f"partners.organisation:{organisation.pk}"}
    # One e-mail each, waiting in the outbox: nothing is published before the commit.
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
