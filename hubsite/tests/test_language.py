"""Simplified Chinese by default, English one click away, both complete for the project's own pages."""

import re
from pathlib import Path

from django.urls import reverse

LOGIN = "/accounts/login/"


def test_pages_are_in_chinese_by_default(client, db):
    page = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录枢纽平台" in page
    assert "Log in to the hub platform" not in page


def test_switching_to_english_shows_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    page = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in page
    assert "Log in to the hub platform" in page
    assert "Forgot your password?" in page
    assert "登录枢纽平台" not in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    assert "登录枢纽平台" in client.get(LOGIN).content.decode()


def test_the_switch_offers_both_languages_on_every_page(client, db):
    page = client.get(LOGIN).content.decode()
    assert 'name="language" value="zh-hans"' in page
    assert 'name="language" value="en"' in page
    assert re.search(r">\s*中文</button>", page)
    assert re.search(r">\s*EN</button>", page)


def test_a_signed_in_persons_home_follows_the_switch(client_for, partner):
    client = client_for(partner)
    assert "欢迎，蓝老师" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Welcome, 蓝老师" in page
    assert "Log out" in page


def test_every_entry_of_the_project_catalogue_is_translated():
    catalogue = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = catalogue.read_text(encoding="utf-8").split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry and "fuzzy," not in entry, entry
        assert not re.search(r'^msgstr(\[0\])? ""$(?!\n")', entry, re.MULTILINE), entry
