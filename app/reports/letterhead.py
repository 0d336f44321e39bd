"""The letterhead of each municipality, read from resources/letterheads/letterheads.json.

Central office maintains that file; a record from before the 2019 merger keeps its former
municipality, so the former four are there beside Het Hogeland.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Letterhead", "letterhead_for", "municipalities"]

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True, slots=True)
class Letterhead:
    municipality: str  # "Het Hogeland", as DocumentMeta names it
    display_name: str  # "Gemeente Het Hogeland"
    sender: str  # the executing organisation: "Werk, Inkomen en Zorg"
    postal_address: tuple[str, ...]
    phone: str
    website: str
    accent: str  # "#1F4E79"

    def contact_lines(self) -> tuple[str, ...]:
        """The sender's block on the right of the letterhead: address, phone, website."""
        lines = [*self.postal_address]
        if self.phone:
            lines.append(f"Telefoon {self.phone}")
        if self.website:
            lines.append(self.website)
        return tuple(lines)


def letterhead_for(municipality: str) -> Letterhead:
    """The letterhead of `municipality` ("Het Hogeland", "Bedum", …); ValueError for a name the
    file does not have, so a document never goes out on the wrong or a blank letterhead."""
    heads = _letterheads()
    try:
        return heads[municipality]
    except KeyError:
        known = ", ".join(sorted(heads))
        raise ValueError(
            f"no letterhead for municipality {municipality!r} (known: {known})"
        ) from None


def municipalities() -> tuple[str, ...]:
    """The municipalities that have a letterhead, in the file's order."""
    return tuple(_letterheads())


@cache
def _letterheads() -> dict[str, Letterhead]:
    text = (
        resources.files("resources")
        .joinpath("letterheads", "letterheads.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    heads: dict[str, Letterhead] = {}
    for entry in data["letterheads"]:
        head = Letterhead(
            municipality=str(entry["municipality"]),
            display_name=str(entry["display_name"]),
            sender=str(entry["sender"]),
            postal_address=tuple(str(line) for line in entry["postal_address"]),
            phone=str(entry.get("phone", "")),
            website=str(entry.get("website", "")),
            accent=str(entry["accent"]),
        )
        if not _COLOUR.fullmatch(head.accent):
            raise ValueError(f"letterhead {head.municipality!r}: accent must be #RRGGBB")
        heads[head.municipality] = head
    return heads
