"""Whose figures a council report holds: the former municipalities of Het Hogeland, and the
municipality as a whole.

Bedum, De Marne, Winsum and Eemsmond merged into Het Hogeland in 2019, without Ezinge, Feerwerd
and Garnwerd, which went to Westerkwartier. The councils of Het Hogeland get the figures of their
own inhabitants, so a client counts in the former municipality of their village only when that
village lies in Het Hogeland today (reference data, resources/reference/municipalities.json);
the report says how many clients that leaves out.
"""

from __future__ import annotations

from functools import cache

from app.domain.errors import VeldwerkError
from app.domain.reference import municipalities, villages

__all__ = ["REGION", "UnknownMunicipality", "areas", "choose_areas"]

REGION = "Het Hogeland"


class UnknownMunicipality(VeldwerkError):
    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        listed = ", ".join(known)
        shown = name[:40]
        super().__init__(
            "unknown_municipality",
            f"--municipality {shown!r}: onbekende gemeente; kies uit {listed} of {REGION}. "
            "Er is niets geschreven.",
            f"--municipality {shown!r}: unknown municipality; choose from {listed} or {REGION}. "
            "Nothing was written.",
        )


@cache
def areas() -> tuple[str, ...]:
    """The former municipalities with a village in Het Hogeland, in the reference file's order."""
    inside = {v.municipality for v in villages() if v.current_municipality == REGION}
    return tuple(name for name in municipalities() if name in inside)


def choose_areas(name: str | None) -> tuple[str, ...]:
    """The rows a report shows: every former municipality and the whole (None or "Het
    Hogeland"), or the one named. Matched without regard to case: "de marne" is De Marne."""
    if name is None or name.strip().casefold() == REGION.casefold():
        return (*areas(), REGION)
    for area in areas():
        if area.casefold() == name.strip().casefold():
            return (area,)
    raise UnknownMunicipality(name, areas())
