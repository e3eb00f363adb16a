"""Extension points: a lower layer offers a hook, a higher layer registers into it.

Imports point down the layers (tests/test_layers.py); when a lower app needs something only a
higher one knows (topic ideas from the monthly reports, report figures on the coverage pages), the
lower app declares a ``Hook`` and the higher app registers a provider in its ``AppConfig.ready``.
Nothing registered means the feature is simply empty, which is also how each app's tests see it
when they unregister.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Hook:
    """A named list of providers, in registration order."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._providers: list[Any] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._providers)} provider(s)>"

    def register(self, provider: Any) -> Any:
        """Add ``provider`` once (``ready`` may run twice in a test process); usable as a decorator."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def unregister(self, provider: Any) -> None:
        if provider in self._providers:
            self._providers.remove(provider)

    @property
    def providers(self) -> tuple[Any, ...]:
        return tuple(self._providers)

    def first(self) -> Any | None:
        """The provider, for hooks that take one (None when nobody registered)."""
        return self._providers[0] if self._providers else None

    def collect(self, *args: Any, **kwargs: Any) -> list:
        """Call every provider and join the lists they return."""
        items: list = []
        for provider in self._providers:
            items.extend(provider(*args, **kwargs))
        return items

    @contextmanager
    def replaced(self, *providers: Callable | Any) -> Iterator[Hook]:
        """For tests: the hook holds only ``providers`` (none: empty) inside the block."""
        saved = self._providers
        self._providers = list(providers)
        try:
            yield self
        finally:
            self._providers = saved
