"""Sections that other apps add to an actor's page in the staff registry (aids, SCIC stakes, occupations of the
foncière, ASR listing), so that actors never imports the apps built on top of it.

An app registers its sections in its `AppConfig.ready()`::

    register_actor_section(ActorSection("aids", "funding/_actor_aids.html", funding.aids.actor_aids, position=10))

`context(actor, user)` returns what the template reads as `section` (or None to leave the section out); it must run
a fixed number of queries, whatever the actor's history. The page's context also holds it under `name`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorSection:
    name: str
    template: str
    context: Callable
    position: int = 50


_sections: list[ActorSection] = []


def register_actor_section(section: ActorSection) -> None:
    if section not in _sections:
        _sections.append(section)


def actor_sections(actor, user) -> list[dict]:
    """The registered sections shown on this actor's page to this user, in order: `{"name", "template", "section"}`."""
    shown = []
    for section in sorted(_sections, key=lambda section: section.position):
        context = section.context(actor, user)
        if context is not None:
            shown.append({"name": section.name, "template": section.template, "section": context})
    return shown
