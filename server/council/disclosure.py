"""Disclosure control for the council figures: nothing published lets a reader work out a count
smaller than 10, or a mean of fewer than 10 people. Pure: values in, published values out.

1. Primary suppression: a count below THRESHOLD is withheld, zero included ("nobody in this
   village" says as much about a person as "one").
2. Secondary suppression: counts come with the equations that hold between them (a total is the
   sum of its parts; this period's clients are the last period's minus those who left plus those
   who came). An equation with exactly one withheld count gives it away as the difference of the
   others, so the smallest other count in it is withheld too. An equation whose withheld counts,
   all on one side, are pinned to zero by the published ones (every published value at the end
   of its rounding interval) gets one more withheld count as well. Both are repeated until no
   equation needs more. The count chosen is one that mends another such equation at the same
   time if there is one, else the smallest: both cost the reader least.
3. Rounding: every published count, totals included, is rounded to the nearest multiple of BASE
   from its own true value, so rounded parts need not add up to their rounded total; a reader
   knows each published count only within BASE // 2 either way.
4. Means and shares are published only where their counts are: a mean over a group whose count
   is published (so of at least THRESHOLD people), a share where both the part and the rest are.

What is withheld is marked the same way whichever rule withheld it, so a reader cannot tell a
count below THRESHOLD from one withheld to protect it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BASE",
    "THRESHOLD",
    "Equation",
    "Protection",
    "interval",
    "mean_value",
    "protect",
    "round_count",
    "share_value",
    "total_of",
]

THRESHOLD = 10
BASE = 5

Key = Hashable


@dataclass(frozen=True, slots=True)
class Equation:
    """Sum of coefficient x count over `terms` is zero for the true counts. Coefficients are +1
    or -1; a key appears once."""

    terms: tuple[tuple[Key, int], ...]

    def __post_init__(self) -> None:
        keys = [key for key, _ in self.terms]
        if len(set(keys)) != len(keys) or len(keys) < 2:
            raise ValueError("an equation names at least two different counts, each once")
        if any(coefficient not in (1, -1) for _, coefficient in self.terms):
            raise ValueError("coefficients are +1 or -1")

    @property
    def keys(self) -> tuple[Key, ...]:
        return tuple(key for key, _ in self.terms)


def total_of(total: Key, parts: Iterable[Key]) -> Equation:
    """`total` is the sum of `parts`."""
    return Equation(((total, 1), *((part, -1) for part in parts)))


def round_count(value: int, base: int = BASE) -> int:
    """To the nearest multiple of `base`, halves up: 12 -> 10, 13 -> 15."""
    return (value + base // 2) // base * base


def interval(published: int, base: int = BASE, threshold: int = THRESHOLD) -> tuple[int, int]:
    """Where the true count of a published value lies, as a reader can know: within the
    rounding, and not below the threshold (smaller counts are never published)."""
    return max(threshold, published - (base - 1 - base // 2)), published + base // 2


@dataclass(frozen=True, slots=True)
class Protection:
    """The published value of every count (None: withheld)."""

    published: Mapping[Key, int | None]

    def value(self, key: Key) -> int | None:
        return self.published[key]

    def withheld(self, key: Key) -> bool:
        return self.published[key] is None

    @property
    def suppressed(self) -> frozenset[Key]:
        return frozenset(key for key, value in self.published.items() if value is None)


def protect(
    values: Mapping[Any, int],
    equations: Sequence[Equation],
    *,
    threshold: int = THRESHOLD,
    base: int = BASE,
) -> Protection:
    """Suppress and round `values` (true counts, each at least 0) so that no withheld count can
    be recovered from the published ones through `equations`."""
    for key, value in values.items():
        if value < 0:
            raise ValueError(f"count {key!r} is negative")
    for equation in equations:
        missing = [key for key in equation.keys if key not in values]
        if missing:
            raise ValueError(f"equation names unknown counts: {missing!r}")
    order = {key: index for index, key in enumerate(values)}
    withheld = {key for key, value in values.items() if value < threshold}
    containing: dict[Key, list[int]] = {}
    for index, equation in enumerate(equations):
        for key in equation.keys:
            containing.setdefault(key, []).append(index)
    hidden = [sum(key in withheld for key in eq.keys) for eq in equations]

    def pairs(key: Key, current: int) -> int:
        """Other equations that this count would mend too (they have one withheld count)."""
        return sum(1 for i in containing[key] if i != current and hidden[i] == 1)

    changed = True
    while changed:
        changed = False
        for index, equation in enumerate(equations):
            if not _needs_more(equation, hidden[index], withheld, values, threshold, base):
                continue
            candidates = [key for key in equation.keys if key not in withheld]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda key: (-pairs(key, index), values[key], order[key]))
            withheld.add(chosen)
            for i in containing[chosen]:
                hidden[i] += 1
            changed = True
    return Protection(
        {
            key: None if key in withheld else round_count(value, base)
            for key, value in values.items()
        }
    )


def _needs_more(
    equation: Equation,
    count: int,
    withheld: set[Key],
    values: Mapping[Key, int],
    threshold: int,
    base: int,
) -> bool:
    if count <= 1:
        return count == 1
    hidden = [(key, c) for key, c in equation.terms if key in withheld]
    signs = {c for _, c in hidden}
    if len(signs) != 1:
        return False
    # The withheld counts all sit on one side: their sum is at most what the published ones
    # allow. If that is zero, every one of them is known to be zero.
    sign = signs.pop()
    high = 0
    for key, c in equation.terms:
        if key in withheld:
            continue
        low_value, high_value = interval(round_count(values[key], base), base, threshold)
        high += max(-sign * c * low_value, -sign * c * high_value)
    return high < 1


def mean_value(total: float, count: int, *, count_published: bool, digits: int = 1) -> float | None:
    """The mean of a group, or None when its count is withheld or below the threshold."""
    if not count_published or count < THRESHOLD:
        return None
    return round(total / count, digits)


def share_value(part: int, whole: int, *, part_published: bool, rest_published: bool) -> int | None:
    """`part` as a whole percentage of `whole`, or None when the part or the rest is withheld:
    a share beside a published whole would give a withheld part (or rest) away."""
    if not (part_published and rest_published) or whole <= 0:
        return None
    return round(100 * part / whole)
