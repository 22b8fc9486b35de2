"""The main navigation: each app declares its entries in its `AppConfig.ready()`; this module only assembles them.

    from ess_portal.navigation import NavEntry, register_navigation

    register_navigation(
        NavEntry("Instruction", "funding:queue", position=30, is_visible=can_view_instruction),
        NavEntry("Dispositifs de soutien", "funding:scheme_list", position=30, for_visitors=True),
    )

Signed-in users see the entries whose `is_visible(user)` is true; anonymous visitors the entries marked
`for_visitors`. Both lists are sorted by `position` (ties keep the order of registration).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def everyone(user) -> bool:
    return True


def holding(role: str) -> Callable[..., bool]:
    """`is_visible` for the holders of one role."""

    def holds_role(user) -> bool:
        return user.has_role(role)

    return holds_role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    position: int
    is_visible: Callable[..., bool] = everyone
    for_visitors: bool = False


_entries: list[NavEntry] = []


def register_navigation(*entries: NavEntry) -> None:
    """Add entries to the navigation; registering the same entry again changes nothing."""
    for entry in entries:
        if entry not in _entries:
            _entries.append(entry)


def registered_entries() -> list[NavEntry]:
    return sorted(_entries, key=lambda entry: entry.position)


def navigation_for(user, current_path: str) -> list[dict]:
    """Main navigation entries for a user: each role sees its own spaces; anonymous visitors the public pages.

    Staff reach the less frequent pages (import, claims, scheme management) from their home page shortcuts.
    """
    if user.is_authenticated:
        entries = [entry for entry in registered_entries() if not entry.for_visitors and entry.is_visible(user)]
    else:
        entries = [entry for entry in registered_entries() if entry.for_visitors]
    items = [(entry.label, reverse(entry.url_name)) for entry in entries]
    # The current entry is the one whose address is the longest prefix of the page's (« Tableau de bord » at
    # /plan/tableau-de-bord/ rather than « Plan d’actions » at /plan/).
    matches = [url for _, url in items if url == current_path or (url != "/" and current_path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "is_current": url == current} for label, url in items]
