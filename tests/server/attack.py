"""The attacker of the council figures: given what a report publishes, how narrowly can each
withheld count be pinned down?

A reader knows every equation between the counts (totals are sums of parts, one period follows
from the other), that a published count lies within the rounding of its value and is at least
the threshold, and that no count is negative. Over all counts that fit, the smallest and the
largest value a withheld count can take are found by linear programming: a small dense simplex
(two phases, Bland's rule), written here because the project has no LP solver, fine for the few
dozen counts of one figure. A withheld count is recovered when only one whole number fits.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from server.council.disclosure import Equation, interval

EPS = 1e-9
Key = Hashable


def _pivot(rows: list[list[float]], row: int, col: int) -> None:
    factor = rows[row][col]
    pivot_row = [value / factor for value in rows[row]]
    rows[row] = pivot_row
    for i, other in enumerate(rows):
        ratio = other[col]
        if i != row and (ratio > EPS or ratio < -EPS):
            rows[i] = [a - ratio * b for a, b in zip(other, pivot_row, strict=True)]


def _simplex(rows: list[list[float]], basis: list[int], cost: list[float], allowed: int) -> float:
    """Minimise `cost` over the tableau (`rows`: coefficients then right-hand side; `basis`
    feasible). Only the first `allowed` columns may enter. Returns the minimum, -inf when
    unbounded. Changes `rows` and `basis` in place."""
    width = len(rows[0]) - 1
    m = len(rows)
    # The objective as a last row of reduced costs, kept up to date by the pivots.
    objective = cost[:width] + [0.0] * (width - len(cost[:width])) + [0.0]
    for i in range(m):
        weight = cost[basis[i]]
        if weight:
            objective = [a - weight * b for a, b in zip(objective, rows[i], strict=True)]
    rows.append(objective)
    try:
        while True:
            entering = next((j for j in range(allowed) if objective[j] < -EPS), None)
            if entering is None:
                return -objective[width]
            best: tuple[float, int, int] | None = None
            for i in range(m):
                r = rows[i]
                if r[entering] > EPS:
                    # Rounded, so that float noise does not break Bland's tie rule.
                    ratio = round(r[width] / r[entering], 9)
                    candidate = (ratio, basis[i], i)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
            if best is None:
                return -math.inf
            _pivot(rows, best[2], entering)
            objective = rows[m]
            basis[best[2]] = entering
    finally:
        rows.pop()


class Polytope:
    """Counts that fit what a reader knows: `equations`, published counts within their
    intervals, withheld counts at least zero."""

    def __init__(self, equations: Sequence[Equation], published: Mapping[Any, int | None]) -> None:
        keys: list[Key] = []
        for equation in equations:
            for key in equation.keys:
                if key not in keys:
                    keys.append(key)
        self.keys = keys
        self.index = {key: i for i, key in enumerate(keys)}
        lower = []
        upper = []
        for key in keys:
            value = published[key]
            if value is None:
                lower.append(0.0)
                upper.append(math.inf)
            else:
                low, high = interval(value)
                lower.append(float(low))
                upper.append(float(high))
        n = len(keys)
        bounded = [j for j in range(n) if upper[j] < math.inf]
        # Shifted by the lower bounds: z = x - lower >= 0; z + slack = upper - lower.
        rows: list[list[float]] = []
        width = n + len(bounded)
        for equation in equations:
            row = [0.0] * (width + 1)
            rhs = 0.0
            for key, coefficient in equation.terms:
                j = self.index[key]
                row[j] = float(coefficient)
                rhs -= coefficient * lower[j]
            row[width] = rhs
            rows.append(row)
        for s, j in enumerate(bounded):
            row = [0.0] * (width + 1)
            row[j] = 1.0
            row[n + s] = 1.0
            row[width] = upper[j] - lower[j]
            rows.append(row)
        for row in rows:
            if row[width] < 0:
                for j in range(width + 1):
                    row[j] = -row[j]
        self.lower = lower
        self.width = width
        self.feasible, self.rows, self.basis = self._phase_one(rows)

    def _phase_one(self, rows: list[list[float]]) -> tuple[bool, list[list[float]], list[int]]:
        width = self.width
        m = len(rows)
        tableau = [
            row[:width] + [1.0 if k == i else 0.0 for k in range(m)] + [row[width]]
            for i, row in enumerate(rows)
        ]
        basis = [width + i for i in range(m)]
        cost = [0.0] * width + [1.0] * m
        found = _simplex(tableau, basis, cost, width + m)
        if found > 1e-6:
            return False, [], []
        # Drive artificial variables out of the basis where possible; drop redundant rows.
        for i in range(m):
            if basis[i] >= width:
                col = next((j for j in range(width) if abs(tableau[i][j]) > EPS), None)
                if col is not None:
                    _pivot(tableau, i, col)
                    basis[i] = col
        keep = [i for i in range(m) if basis[i] < width]
        return True, [tableau[i][:width] + [tableau[i][-1]] for i in keep], [basis[i] for i in keep]

    def range_of(self, key: Key) -> tuple[float, float]:
        """The smallest and largest value `key` can take."""
        assert self.feasible, "the published figures contradict each other"
        j = self.index[key]
        ends = []
        for sign in (1.0, -1.0):
            rows = [row[:] for row in self.rows]
            basis = self.basis[:]
            cost = [0.0] * self.width
            cost[j] = sign
            found = _simplex(rows, basis, cost, self.width)
            ends.append(sign * found + self.lower[j] if math.isfinite(found) else -sign * math.inf)
        low, high = ends[0], ends[1]
        return low, high


def recovered(
    equations: Sequence[Equation], published: Mapping[Any, int | None]
) -> dict[Key, tuple[float, float]]:
    """The withheld counts that only one whole number fits, with their range."""
    polytope = Polytope(equations, published)
    found = {}
    for key in polytope.keys:
        if published[key] is not None:
            continue
        low, high = polytope.range_of(key)
        if math.isfinite(high) and math.floor(high + 1e-6) <= math.ceil(low - 1e-6):
            found[key] = (low, high)
    return found


def components(equations: Sequence[Equation]) -> list[list[Equation]]:
    """The equations in groups that share no count: each group can be attacked on its own."""
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for equation in equations:
        first = root(equation.keys[0])
        for key in equation.keys[1:]:
            parent[root(key)] = first
    groups: dict[Key, list[Equation]] = {}
    for equation in equations:
        groups.setdefault(root(equation.keys[0]), []).append(equation)
    return list(groups.values())
