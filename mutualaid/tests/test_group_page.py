"""The group's page: members, their centres by prefecture, what they share, rights used this year."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualaid.models import CoachingSession


@pytest.mark.parametrize("size", [2, 12])
def test_the_group_page_runs_a_fixed_number_of_queries(
    make_partner, member, viewer, client_for, django_assert_num_queries, size
):
    for i in range(size):
        org = make_partner(f"成员{i:02d}", prefecture=["450100", "451200", "450300"][i % 3])
        member(org)
        CoachingSession.objects.create(
            organisation=org, held_on=timezone.localdate(), coach="张教练", topic="筹款"
        )
    client = client_for(viewer)
    # session + user + memberships + centres + experiences + 3 rights counts + the help-hours figure
    with django_assert_num_queries(9):
        response = client.get(reverse("mutualaid:group"))
    assert len(response.context["memberships"]) == size


def test_the_group_page_lists_members_centres_and_what_they_share(make_partner, member, director, client_for):
    org = make_partner("河池互助机构", prefecture="451200")
    member(org)
    make_partner("不是成员")
    html = client_for(director).get(reverse("mutualaid:group")).content.decode()
    assert "河池互助机构亲子园" in html
    assert "绘本共读" in html
    assert "河池市" in html
    assert "不是成员" not in html


def test_the_group_page_escapes_what_members_wrote_and_shows_the_end_button_to_hub_staff_only(
    make_partner, member, hub_staff, director, client_for
):
    from partners.choices import ExperienceArea
    from partners.models import SharedExperience

    org = make_partner("标记<b>机构</b>")
    membership = member(org)
    SharedExperience.objects.create(
        organisation=org,
        area=ExperienceArea.OPERATIONS,
        title="<script>alert(1)</script>",
        text="做法",
        endorsed_by=hub_staff,
        endorsed_at=timezone.now(),
    )
    end_url = reverse("mutualaid:membership_end", args=[membership.pk])
    html = client_for(hub_staff).get(reverse("mutualaid:group")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "标记&lt;b&gt;机构" in html and "标记<b>" not in html
    assert f'href="{end_url}"' in html
    assert '<span class="badge text-bg-light">运营</span> &lt;script&gt;' in html
    assert f'href="{end_url}"' not in client_for(director).get(reverse("mutualaid:group")).content.decode()
