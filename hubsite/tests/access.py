from tests.matrix import Case, everyone, expect, hub_only


def setup(world):
    from hubsite.core.notifications import notify

    world.notification = notify(
        "test.access", world.partner, key="partners.organisation:1", subject="提醒", body="内容", url="/"
    )


CASES = [
    Case("notifications:list", everyone()),
    Case("notifications:unread", everyone()),
    Case("notifications:preferences", everyone()),
    # The SMS opt-in: any signed-in person, for their own number only (no object in the URL).
    Case("notifications:mobile", everyone()),
    Case("notifications:mobile_verify", everyone()),
    Case("notifications:log", hub_only()),
    # Only the recipient opens it (and is redirected to its link); everyone else gets 404.
    Case(
        "notifications:open",
        expect(hub_admin=404, director=404, partner=302, other=404, viewer=404),
        kwargs=lambda w: {"pk": w.notification.pk},
    ),
    Case("notifications:resend", hub_only(302), kwargs=lambda w: {"pk": w.notification.pk}, method="post"),
]
