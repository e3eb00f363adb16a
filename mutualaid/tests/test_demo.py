"""The demo seed builds the 2024 round, members and rights from whatever the partners demo holds."""

import datetime
from decimal import Decimal

from django.utils import timezone

from mutualaid import demo
from mutualaid.models import (
    Activity,
    CoachingRequest,
    CoachingSession,
    ExpansionFundingApplication,
    HelpHours,
    Membership,
    Mentor,
    MentorRequest,
    ReviewResult,
    ReviewRound,
    StudyVisit,
)


def counts():
    return [
        model.objects.count()
        for model in (
            ReviewRound,
            ReviewResult,
            Membership,
            ExpansionFundingApplication,
            StudyVisit,
            CoachingSession,
            CoachingRequest,
        )
    ]


def test_the_demo_holds_the_2024_round_members_and_rights_and_is_idempotent(
    make_partner, make_user, hub_staff, director, org_a, centre_a, org_b, centre_b
):
    for name in ["桂林甲", "百色乙", "柳州丙"]:
        org = make_partner(name)
        make_user(f"{name}@example.org", "director", org)
    make_partner("只差奖项", award=False)
    make_partner("缺两项", award=False, plan=False)

    demo.seed({})
    first = counts()
    demo.seed({})
    assert counts() == first

    review = ReviewRound.objects.get(name="2024 年度评审")
    assert review.as_of == datetime.date(2024, 12, 31)
    qualified = set(review.results.filter(qualifies=True).values_list("organisation__name", flat=True))
    assert qualified == {"桂林甲", "百色乙", "柳州丙"}
    declined = review.results.get(organisation__name="缺两项")
    assert declined.decision == "declined" and "获得活力未来颁奖" in declined.decision_note
    members = set(Membership.objects.current().values_list("organisation__name", flat=True))
    assert members == qualified
    queue = list(ExpansionFundingApplication.objects.review_queue())
    assert queue and queue[0].is_member and not queue[-1].is_member
    assert StudyVisit.objects.filter(status="claimed").exists()
    assert CoachingRequest.objects.filter(director=director, status="waiting").exists()
    claimed = StudyVisit.objects.get(status="claimed")
    assert (claimed.claim_status, claimed.verified_amount) == ("verified", Decimal("700"))


def test_the_demo_gives_help_hours_between_partners_in_seed_004s_proportions(
    make_partner, make_user, hub_staff, director, org_a, centre_a, org_b, centre_b, other
):
    for i in range(8):
        make_user(f"p{i}@example.org", "director", make_partner(f"伙伴{i}"))
    demo.seed({})
    first = (Mentor.objects.count(), Activity.objects.count(), HelpHours.objects.count())
    demo.seed({})
    assert (Mentor.objects.count(), Activity.objects.count(), HelpHours.objects.count()) == first
    assert first[0] == 4 and first[1] == 5
    summary = HelpHours.objects.in_year(timezone.localdate().year).summary()
    assert summary.mentors == 4 and summary.teams >= 3
    assert summary.organisations >= 5
    assert 20 <= summary.hours <= 100
    assert MentorRequest.objects.filter(status="requested").exists()


def test_the_demo_does_nothing_without_hub_staff(db):
    demo.seed({})
    assert counts() == [0] * 7
