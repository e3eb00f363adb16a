"""The hub's name (settings.HUB_NAME) for titles: a tag, not a context processor, so that pages
rendered without a request context (the 500 page) have it too."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def hub_name() -> str:
    # HUB_NAME may be a lazy translation (no HUB_NAME in the environment): the page's language.
    return str(settings.HUB_NAME)
