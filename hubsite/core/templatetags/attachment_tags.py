"""``{% attachments_box obj %}``: an object's attachments, and the button to add one, on its page."""

from django import template
from django.utils.translation import pgettext

from hubsite.core.attachments import policy_for
from hubsite.core.models import Attachment, AttachmentKind

register = template.Library()


@register.inclusion_tag("attachments/_box.html", takes_context=True)
def attachments_box(context, owner):
    """Nothing for a model nobody registered or a person the policy does not let see the owner."""
    request = context["request"]
    user = request.user
    policy = policy_for(type(owner))
    if policy is None or not policy.can_view(user, owner):
        return {"hidden": True, "attachments": []}
    attachments = list(
        Attachment.objects.for_user(user).for_object(owner).select_related("uploaded_by", "centre")
    )
    return {
        "policy": policy,
        "owner": owner,
        "attachments": attachments,
        "can_add": policy.can_add(user, owner),
        "kind_labels": pgettext("list separator", ", ").join(
            str(AttachmentKind(kind).label) for kind in policy.kinds
        ),
        "next": request.get_full_path(),
    }
