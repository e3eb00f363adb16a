"""Which models take attachments, and who may see and add them (one ``Policy`` per model)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_COUNT = 20


def _organisation_id(obj) -> int | None:
    return obj.organisation_id


def _absolute_url(obj) -> str:
    return obj.get_absolute_url()


@dataclass(frozen=True)
class Policy:
    """The rules for one attachable model.

    ``can_view(user, obj)`` and ``can_add(user, obj)`` are asked after the owner was found in
    ``model.objects.for_user(user)`` (scoping first, then the policy); ``can_add`` also decides who may
    change an attachment's consent flags or remove it. ``kinds`` are the choices the upload form offers
    (``AttachmentKind`` values), ``max_count`` how many files one object may carry. ``centres(obj)``,
    when given, is the queryset of centres an attachment may be about (the form offers them, plus the
    organisation as a whole). ``shared`` opens the files to every partner who may see the owner.
    """

    model: type
    can_view: Callable[[Any, Any], bool]
    can_add: Callable[[Any, Any], bool]
    kinds: tuple[str, ...]
    max_count: int = DEFAULT_MAX_COUNT
    organisation_of: Callable[[Any], int | None] = _organisation_id
    centres: Callable[[Any], Any] | None = None
    return_url: Callable[[Any], str] = _absolute_url
    # A library (the activity supply library): partner people of other organisations who may see the
    # owner see its files too, except photos of children without the parents' consent.
    shared: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return model_key(self.model)


_POLICIES: dict[str, Policy] = {}


def model_key(model) -> str:
    """The model's name in URLs: ``app_label.modelname`` (e.g. ``reports.monthlyreport``)."""
    return model._meta.label_lower


def register(model, *, can_view, can_add, kinds, max_count=DEFAULT_MAX_COUNT, **options) -> Policy:
    """Let people attach files to ``model``'s objects; ``ready`` may run twice, the last call wins."""
    policy = Policy(
        model=model, can_view=can_view, can_add=can_add, kinds=tuple(kinds), max_count=max_count, **options
    )
    _POLICIES[policy.key] = policy
    return policy


def unregister(model) -> None:
    _POLICIES.pop(model_key(model), None)


def policy_for(key_or_model) -> Policy | None:
    key = key_or_model if isinstance(key_or_model, str) else model_key(key_or_model)
    return _POLICIES.get(key)


def registered() -> tuple[Policy, ...]:
    return tuple(_POLICIES.values())


def shared_models() -> list[type]:
    """The registered models whose files are shared beyond their organisation (``shared=True``)."""
    return [policy.model for policy in _POLICIES.values() if policy.shared]


@contextmanager
def overridden(model, **changes) -> Iterator[Policy]:
    """For tests: ``model``'s policy with ``changes`` (e.g. ``max_count=1``) inside the block."""
    key = model_key(model)
    saved = _POLICIES[key]
    _POLICIES[key] = dataclasses.replace(saved, **changes)
    try:
        yield _POLICIES[key]
    finally:
        _POLICIES[key] = saved
