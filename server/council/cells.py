"""What a cell of a published table holds before disclosure control decides what is shown: a
plain value, a count from the grid, a mean over a counted group, or a share of a whole.

`resolve` turns a cell into what the report prints: a count only if published (rounded), a mean
only over a published count, a share only when every part of its whole is published.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from server.council.disclosure import Protection, mean_value, share_value

__all__ = ["Cell", "Count", "Mean", "Share", "resolve"]

Key = tuple[Hashable, ...]
Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Count:
    key: Key


@dataclass(frozen=True, slots=True)
class Mean:
    total: float
    count: Key  # the group's count, in the grid
    digits: int = 1


@dataclass(frozen=True, slots=True)
class Share:
    """`part` as a percentage of the sum of `parts` (which holds `part`)."""

    part: Key
    parts: tuple[Key, ...]


Cell = Count | Mean | Share | str | int | None


def resolve(cell: Cell, values: Mapping[Key, int], protection: Protection) -> Value:
    if isinstance(cell, Count):
        return protection.value(cell.key)
    if isinstance(cell, Mean):
        return mean_value(
            cell.total,
            values[cell.count],
            count_published=not protection.withheld(cell.count),
            digits=cell.digits,
        )
    if isinstance(cell, Share):
        others = [key for key in cell.parts if key != cell.part]
        return share_value(
            values[cell.part],
            sum(values[key] for key in cell.parts),
            part_published=not protection.withheld(cell.part),
            rest_published=bool(others) and not any(protection.withheld(k) for k in others),
        )
    return cell
