"""The public page (logged-out /): who the hub is, what a 亲子园 is, how to reach the hub, and the
interest form's privacy notice, consent, mobile number and retention (issue 14)."""

import datetime
import importlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from hubsite.core.models import Notification
from hubsite.core.notifications import mail as notification_mail
from partners.choices import OrganisationStatus
from partners.models import Interest, Organisation, Prefecture


@pytest.fixture
def hub_contact(hub_org):
    hub_org.address = "南宁市西乡塘区心圩街道心圩社区服务中心二楼"
    hub_org.contact_name = "黄丽萍"
    hub_org.contact_phone = "0771-5381201"
    hub_org.contact_email = "tongxinyuan@example.org"
    hub_org.save()
    return hub_org


def _interest(**extra):
    data = {
        "name": "钦州童心社工",
        "prefecture": Prefecture.objects.get(code="450700").pk,
        "contact_name": "黄女士",
        "contact_phone": "138 7771 2345",
        "description": "社区儿童服务",
        "consent": "on",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_a_visitor_learns_who_the_hub_is_what_a_centre_is_and_how_to_reach_it(client, hub_contact):
    page = client.get(reverse("home")).content.decode()
    assert "关于我们：南宁市同心源社会工作服务中心" in page
    assert "什么是亲子园？" in page
    assert "0-3岁的婴幼儿和照护他们的家人" in page
    assert "联系枢纽" in page
    assert "心圩社区服务中心二楼" in page
    assert 'href="tel:0771-5381201"' in page
    assert 'href="mailto:tongxinyuan@example.org"' in page


def test_the_form_shows_the_privacy_notice_and_an_unticked_consent_box(client, hub_contact, settings):
    settings.INTEREST_RETENTION_DAYS = 365
    page = client.get(reverse("home")).content.decode()
    assert "个人信息保护说明" in page
    assert "手机号码和电子邮箱" in page  # what is collected
    assert "仅用于就开办亲子园一事回复您" in page  # why
    assert "自您提交之日起保存365天" in page  # how long
    assert "请联系南宁市同心源社会工作服务中心（0771-5381201 / tongxinyuan@example.org）。" in page  # whom
    assert '<input type="checkbox" name="consent" id="id_consent" class="form-check-input">' in page


def test_a_browser_asking_for_english_still_gets_the_public_page_in_chinese(client, hub_contact):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "什么是亲子园？" in page
    assert "What is a parent-child centre?" not in page


def test_the_english_public_page_says_it_in_english(client, hub_contact):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "What is a parent-child centre?" in page
    assert "Who we are: Nanning Tongxinyuan Social Work Service Centre" in page
    assert "365 days from the day you send them" in page


def test_without_consent_nothing_is_kept_and_the_error_is_next_to_the_box(client, hub_contact):
    response = client.post(reverse("coverage:interest"), _interest(consent=None))
    assert response.status_code == 200
    page = response.content.decode()
    error = '<div class="invalid-feedback d-block" id="id_consent_error">请勾选此项，同意个人信息保护说明；否则我们无法保存您的留言。</div>'
    assert error in page
    # The error sits in the consent box's own block, right after its label.
    assert (
        page.index('for="id_consent"')
        < page.index(error)
        < page.index('<button class="btn btn-hub" type="submit">')
    )
    assert not Organisation.objects.filter(name="钦州童心社工").exists()
    assert not Interest.objects.exists()


def test_the_form_posts_back_to_its_own_card_so_a_refused_form_is_in_view(client, hub_contact):
    page = client.get(reverse("home")).content.decode()
    action = f'action="{reverse("coverage:interest")}#interest"'
    assert action in page
    # The anchor is the card that holds the heading and the form.
    assert page.index('id="interest"') < page.index(action)
    refused = client.post(reverse("coverage:interest"), _interest(consent=None, name="")).content.decode()
    assert action in refused and 'id="interest"' in refused


def test_a_refused_form_lists_what_to_fix_at_its_top_each_linked_to_its_field(client, hub_contact):
    response = client.post(reverse("coverage:interest"), _interest(consent=None, contact_phone="12345"))
    page = response.content.decode()
    start = page.index('id="interest-errors"')
    summary = page[start : page.index("</div>", start)]
    assert page.index("<form") < start < page.index('for="id_name"')  # above the first field
    assert 'role="alert"' in page[page.rindex("<div", 0, start) : start]
    with translation.override("zh-hans"):
        assert gettext("Your message was not sent. Please correct the following:") in summary
    with translation.override("zh-hans"):
        phone = pgettext("field error in a summary", "%(label)s: %(errors)s") % {
            "label": "手机号码",
            "errors": "请输入11位中国大陆手机号码，例如 138 0013 8000。",
        }
    assert f'<a class="alert-link" href="#id_contact_phone">{phone}</a>' in summary
    assert '<a class="alert-link" href="#id_consent">请勾选此项' in summary
    assert "id_name" not in summary and "homepage" not in summary  # only the fields in error


def test_a_form_not_yet_sent_has_no_error_summary(client, hub_contact):
    assert 'id="interest-errors"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("phone", ["0777-1234567", "12345", "+1 650 253 0000", "138 0013 800"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused_in_chinese(client, hub_contact, phone):
    response = client.post(reverse("coverage:interest"), _interest(contact_phone=phone))
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"] == [
        "请输入11位中国大陆手机号码，例如 138 0013 8000。"
    ]
    assert "请输入11位中国大陆手机号码" in response.content.decode()
    assert not Interest.objects.exists()


def test_an_interest_keeps_the_mobile_number_and_the_moment_of_consent(client, hub_contact, hub_staff):
    before = timezone.now()
    response = client.post(reverse("coverage:interest"), _interest(contact_phone="+86 13877712345"))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="钦州童心社工")
    interest = Interest.objects.get()
    assert interest.organisation == organisation
    assert organisation.contact_phone == interest.contact_phone == "138 7771 2345"
    assert interest.contact_name == "黄女士"
    assert before <= interest.consented_at <= timezone.now()


def _old_interest(name, *, days_ago, status=OrganisationStatus.PROSPECT, prefecture):
    received = timezone.now() - datetime.timedelta(days=days_ago)
    organisation = Organisation.objects.create(
        name=name,
        prefecture=prefecture,
        contact_name=f"{name}联系人",
        contact_phone="138 0013 8000",
        contact_email="someone@example.org",
        status=status,
    )
    return Interest.objects.create(
        organisation=organisation,
        contact_name=organisation.contact_name,
        contact_phone=organisation.contact_phone,
        contact_email=organisation.contact_email,
        consented_at=received,
        received_at=received,
    )


def test_the_daily_task_deletes_only_interests_past_the_retention_period_and_twice_is_once(
    prefectures, settings
):
    from partners.tasks import purge_old_interests

    settings.INTEREST_RETENTION_DAYS = 365
    old = _old_interest("过期的意向", days_ago=366, prefecture=prefectures["450700"])
    joined = _old_interest(
        "已加入的机构", days_ago=400, status=OrganisationStatus.ACTIVE, prefecture=prefectures["450500"]
    )
    recent = _old_interest("新近的意向", days_ago=364, prefecture=prefectures["451400"])
    version = old.organisation.version

    assert purge_old_interests() == 2
    assert list(Interest.objects.all()) == [recent]
    prospect = Organisation.objects.get(name="过期的意向")
    assert (prospect.contact_name, prospect.contact_phone, prospect.contact_email) == ("", "", "")
    assert prospect.version == version + 1  # an edit form open on it notices
    member = Organisation.objects.get(name="已加入的机构")
    assert member.contact_name == "已加入的机构联系人"  # a partner's contact is the hub's own record
    assert Organisation.objects.get(name="新近的意向").contact_phone == "138 0013 8000"
    assert joined.organisation_id == member.pk

    assert purge_old_interests() == 0
    assert list(Interest.objects.all()) == [recent]


def test_beat_runs_the_deletion_every_day_with_a_task_the_worker_knows(db):
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from hubsite.celery import app

    # Transactional tests elsewhere flush what the migration loaded; seeding again changes nothing.
    importlib.import_module("partners.migrations.0006_user_language").seed(apps, None)
    importlib.import_module("partners.migrations.0006_user_language").seed(apps, None)
    (task,) = PeriodicTask.objects.filter(task="partners.purge_old_interests")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "4",
        "30",
        "Asia/Shanghai",
    )
    app.loader.import_default_modules()
    assert "partners.purge_old_interests" in app.tasks


def test_hub_staff_are_told_of_an_interest_each_in_their_own_language(
    client, hub_contact, hub_admin, hub_staff
):
    hub_admin.language = "en"
    hub_admin.save()
    client.post(reverse("coverage:interest"), _interest())

    english = Notification.objects.get(recipient=hub_admin, kind="partners.interest")
    chinese = Notification.objects.get(recipient=hub_staff, kind="partners.interest")
    assert english.subject == "New interest: 钦州童心社工"
    assert "would like to start a centre" in english.body
    assert chinese.subject == "新意向：钦州童心社工"

    mail.outbox.clear()
    notification_mail.send(english)
    notification_mail.send(chinese)
    to_english, to_chinese = mail.outbox
    assert to_english.subject == "[Nanning Tongxinyuan Social Work Service Centre] New interest: 钦州童心社工"
    assert to_english.body.startswith("Hello 枢纽管理员,")
    assert "Open: http" in to_english.body
    assert to_chinese.subject == "[南宁市同心源社会工作服务中心] 新意向：钦州童心社工"
    assert to_chinese.body.startswith("枢纽同工，您好：")
    assert "Hello" not in to_chinese.body
    assert to_chinese.from_email == '"南宁市同心源社会工作服务中心" <noreply@example.org>'
    assert to_chinese.message()["From"].startswith("=?utf-8?")  # the name encoded, not "hubsite"
