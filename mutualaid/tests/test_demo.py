"""The demo seed builds the 2024 round, members and rights from whatever the partners demo holds."""

import datetime

from mutualaid import demo
from mutualaid.models import (
    CoachingRequest,
    CoachingSession,
    ExpansionFundingApplication,
    Membership,
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


def test_the_demo_does_nothing_without_hub_staff(db):
    demo.seed({})
    assert counts() == [0] * 7
