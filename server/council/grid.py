"""The counts of a report with the equations between them, ready for `disclosure.protect`.

A figure is a table of one or more dimensions (areas, ladder steps, months, kinds of visit); a
dimension whose categories add up gets a total category, and every line along it becomes an
equation. Totals are summed here from the parts, so an equation always holds exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from server.council.disclosure import Equation, total_of

__all__ = ["Dimension", "Grid"]

Key = tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    categories: tuple[str, ...]
    total: str | None = None  # the category that sums the others; None: they do not add up

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.categories, self.total) if self.total is not None else self.categories


@dataclass
class Grid:
    values: dict[Key, int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)

    def add(self, key: Key, value: int) -> None:
        if key in self.values and self.values[key] != value:
            raise ValueError(f"count {key!r} given twice with different values")
        self.values[key] = int(value)

    def equation(self, terms: Iterable[tuple[Key, int]]) -> None:
        self.equations.append(Equation(tuple(terms)))

    def table(
        self,
        prefix: Key,
        dimensions: Sequence[Dimension],
        leaf: Mapping[Any, int],
    ) -> None:
        """Add a table: `leaf` holds the count of every combination of categories (totals
        excluded; a missing one is 0); totals are summed from them, and each total is an
        equation."""
        for combo in product(*(d.categories for d in dimensions)):
            self.add((*prefix, *combo), int(leaf.get(combo, 0)))
        # Totals one dimension at a time, so that a total of totals sums totals already made.
        for axis, dimension in enumerate(dimensions):
            if dimension.total is None:
                continue
            others = [d.all if i < axis else d.categories for i, d in enumerate(dimensions)]
            others[axis] = (dimension.total,)
            for combo in product(*others):
                parts = [_with(prefix, combo, axis, c) for c in dimension.categories]
                total = (*prefix, *combo)
                self.add(total, sum(self.values[p] for p in parts))
        # Every line along every additive dimension, totals of the other dimensions included.
        for axis, dimension in enumerate(dimensions):
            if dimension.total is None:
                continue
            others = [d.all for d in dimensions]
            others[axis] = (dimension.total,)
            for combo in product(*others):
                parts = [_with(prefix, combo, axis, c) for c in dimension.categories]
                # With one category, the total is that count under a second name: still an
                # equation, or the second name would publish what the first withholds.
                self.equations.append(total_of((*prefix, *combo), parts))


def _with(prefix: Key, combo: tuple[str, ...], axis: int, category: str) -> Key:
    return (*prefix, *combo[:axis], category, *combo[axis + 1 :])
