"""The access matrix: every URL of the project for every role, with the status each must get.

Each app lists its URLs in `<app>/tests/access.py` as `CASES` (a list of `Case`) and may define
`setup(world)` to create the objects its URLs need (org A's objects: `other` must get 404).
`tests/test_access_matrix.py` runs every case for every role and fails when a URL has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ("anonymous", "hub_admin", "hub_staff", "director", "partner", "other", "viewer")
LOGIN = 302  # anonymous visitors are sent to the login page


def expect(
    *,
    anonymous: int = LOGIN,
    hub_admin: int,
    hub_staff: int | None = None,
    director: int,
    partner: int | None = None,
    other: int,
    viewer: int,
) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "hub_admin": hub_admin,
        "hub_staff": hub_admin if hub_staff is None else hub_staff,
        "director": director,
        "partner": director if partner is None else partner,
        "other": other,
        "viewer": viewer,
    }


def hub_only(ok: int = 200) -> dict[str, int]:
    return expect(hub_admin=ok, director=403, other=403, viewer=403)


def hub_admin_only(ok: int = 200) -> dict[str, int]:
    return expect(hub_admin=ok, hub_staff=403, director=403, other=403, viewer=403)


def everyone(ok: int = 200) -> dict[str, int]:
    return expect(hub_admin=ok, director=ok, other=ok, viewer=ok)


def public(ok: int = 200) -> dict[str, int]:
    return expect(anonymous=ok, hub_admin=ok, director=ok, other=ok, viewer=ok)


def own_org(ok: int = 200, *, viewer: int = 404) -> dict[str, int]:
    """Internal to org A and the hub: another organisation's people get 404."""
    return expect(hub_admin=ok, director=ok, other=404, viewer=viewer)


@dataclass
class Case:
    name: str
    expected: dict[str, int]
    kwargs: Callable[[SimpleNamespace], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] | dict | None = None
    query: str = ""

    def resolve_kwargs(self, world: SimpleNamespace) -> dict:
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)

    def resolve_data(self, world: SimpleNamespace) -> dict:
        if self.data is None:
            return {}
        return self.data(world) if callable(self.data) else dict(self.data)

    @property
    def id(self) -> str:
        suffix = f"?{self.query}" if self.query else ""
        return f"{self.method.upper()} {self.name}{suffix}"
