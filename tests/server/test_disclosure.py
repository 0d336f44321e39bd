"""Disclosure control of the council figures (server.council.disclosure), and the attacker who
tries to undo it (tests/server/attack.py): from the published counts, their rounding and every
equation between them (totals, totals of totals, differences of totals), no withheld count can be
pinned to one value."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.council.disclosure import (
    BASE,
    THRESHOLD,
    Equation,
    Protection,
    interval,
    mean_value,
    protect,
    round_count,
    share_value,
    total_of,
)
from server.council.grid import Dimension, Grid
from tests.server.attack import recovered


def _table(rows: Sequence[Sequence[int]], *, row_totals: bool = True) -> Grid:
    """A rows x columns table with a total row and (optionally) a total column."""
    grid = Grid()
    areas = Dimension(tuple(f"r{i}" for i in range(len(rows))), "R")
    kinds = Dimension(tuple(f"c{j}" for j in range(len(rows[0]))), "C" if row_totals else None)
    cells = {(f"r{i}", f"c{j}"): value for i, row in enumerate(rows) for j, value in enumerate(row)}
    grid.table(("t",), (areas, kinds), cells)
    return grid


def _checked(grid: Grid) -> Protection:
    protection = protect(grid.values, grid.equations)
    for key, value in grid.values.items():
        shown = protection.value(key)
        if value < THRESHOLD:
            assert shown is None, key
        if shown is not None:
            assert shown % BASE == 0 and shown >= THRESHOLD
            low, high = interval(shown)
            assert low <= value <= high, (key, value, shown)
    return protection


# ------------------------------------------------------------------------------- the rules


def test_rounding_is_to_the_nearest_five_halves_up() -> None:
    assert [round_count(v) for v in (10, 11, 12, 13, 14, 15, 17, 18, 102)] == [
        10,
        10,
        10,
        15,
        15,
        15,
        15,
        20,
        100,
    ]
    assert interval(10) == (10, 12)  # nothing below the threshold is ever published
    assert interval(25) == (23, 27)


def test_counts_below_ten_are_withheld_zero_included() -> None:
    grid = Grid()
    grid.add(("a",), 0)
    grid.add(("b",), 9)
    grid.add(("c",), 10)
    protection = protect(grid.values, [])
    assert protection.published == {("a",): None, ("b",): None, ("c",): 10}


def test_a_row_with_one_small_count_loses_its_smallest_other_count_too() -> None:
    grid = _table([[3, 40, 25], [30, 30, 30]])
    protection = _checked(grid)
    # Row r0: 3 is withheld, and 25 with it (the smallest other); column c0 then has 3 alone
    # withheld, so 30 of r1 goes; r1 then needs another: the smaller of its remaining 30s.
    assert protection.withheld(("t", "r0", "c0"))
    assert protection.withheld(("t", "r0", "c2"))
    assert protection.withheld(("t", "r1", "c0"))
    assert protection.withheld(("t", "r1", "c2")) or protection.withheld(("t", "r1", "c1"))
    assert not protection.withheld(("t", "r0", "c1"))
    assert protection.value(("t", "R", "C")) == 160
    assert recovered(grid.equations, protection.published) == {}


def test_without_secondary_suppression_the_attacker_recovers_a_count() -> None:
    """The attacker is real: with only primary suppression and rounding, a count the rounding
    happens to leave no room for is pinned exactly (1: the row allows at most 1, the column at
    least 1)."""
    grid = _table([[1, 13, 13], [12, 30, 40]])
    naive = {
        key: None if value < THRESHOLD else round_count(value) for key, value in grid.values.items()
    }
    assert recovered(grid.equations, naive) == {("t", "r0", "c0"): pytest.approx((1.0, 1.0))}
    protection = _checked(grid)
    assert recovered(grid.equations, protection.published) == {}


def test_withheld_counts_pinned_to_zero_get_company() -> None:
    """Two zeros in a row whose published counts all sit at the edge of their rounding: the row
    says the two add up to at most 0. One more count of the row is withheld."""
    # Total 52 (published 50, at most 52), parts 13 + 13 + 13 + 13 (published 15, at least 13).
    values = {("T",): 52, ("a",): 0, ("b",): 0, **{(f"p{i}",): 13 for i in range(4)}}
    equation = total_of(("T",), [("a",), ("b",), *((f"p{i}",) for i in range(4))])
    naive = {key: None if v < THRESHOLD else round_count(v) for key, v in values.items()}
    assert set(recovered([equation], naive)) == {("a",), ("b",)}
    protection = protect(values, [equation])
    assert sum(protection.withheld(key) for key in values) == 3
    assert recovered([equation], protection.published) == {}


def test_equations_between_periods_are_protected_like_totals() -> None:
    """Clients now = clients then - those who left + those who came: one withheld term of the
    four would be their difference."""
    values = {("now",): 120, ("then",): 118, ("left",): 4, ("came",): 6}
    equation = Equation(((("then",), 1), (("left",), -1), (("now",), -1), (("came",), 1)))
    protection = protect(values, [equation])
    assert protection.withheld(("left",)) and protection.withheld(("came",))
    values = {("now",): 120, ("then",): 100, ("left",): 5, ("came",): 25}
    protection = protect(values, [equation])
    assert protection.withheld(("left",)) and protection.withheld(("came",))
    assert not protection.withheld(("now",))


def test_means_only_over_published_groups_of_at_least_ten() -> None:
    assert mean_value(31.0, 10, count_published=True) == 3.1
    assert mean_value(27.0, 9, count_published=True) is None
    assert mean_value(310.0, 100, count_published=False) is None
    assert mean_value(-12.0, 40, count_published=True) == -0.3


def test_shares_only_where_the_part_and_the_rest_are_published() -> None:
    assert share_value(45, 60, part_published=True, rest_published=True) == 75
    # 97 of 100 in time: the 3 late ones are withheld, and so is the share that would tell.
    assert share_value(97, 100, part_published=True, rest_published=False) is None
    assert share_value(3, 100, part_published=False, rest_published=True) is None


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        protect({("a",): -1}, [])
    with pytest.raises(ValueError):
        protect({("a",): 1}, [total_of(("a",), [("b",)])])
    with pytest.raises(ValueError):
        Equation(((("a",), 1), (("a",), -1)))
    with pytest.raises(ValueError):
        Equation(((("a",), 2), (("b",), -1)))


# ------------------------------------------------------------------------- the attack, at large

# Small counts on purpose: most cells near the threshold is where protection is hardest.
_COUNT = st.one_of(st.integers(0, 14), st.integers(0, 60))


@st.composite
def _tables(draw: st.DrawFn) -> list[list[int]]:
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 4))
    return [[draw(_COUNT) for _ in range(columns)] for _ in range(rows)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.booleans())
def test_no_withheld_count_of_a_table_can_be_recovered(
    rows: list[list[int]], row_totals: bool
) -> None:
    """Rows, columns, the total row and column and the grand total: every equation among them
    (so every difference of totals too) fails to pin a withheld count."""
    grid = _table(rows, row_totals=row_totals)
    protection = _checked(grid)
    assert recovered(grid.equations, protection.published) == {}


@st.composite
def _cubes(draw: st.DrawFn) -> dict[tuple[str, ...], int]:
    sizes = [draw(st.integers(1, 3)) for _ in range(3)]
    return {
        (f"a{i}", f"m{j}", f"k{k}"): draw(_COUNT)
        for i in range(sizes[0])
        for j in range(sizes[1])
        for k in range(sizes[2])
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cubes())
def test_no_withheld_count_of_a_three_way_table_can_be_recovered(
    cells: dict[tuple[str, ...], int],
) -> None:
    """Areas x months x kinds of visit, with totals along all three."""
    names = [sorted({combo[axis] for combo in cells}) for axis in range(3)]
    grid = Grid()
    totals = ("A", "M", "K")
    grid.table(
        ("visits",), [Dimension(tuple(n), t) for n, t in zip(names, totals, strict=True)], cells
    )
    protection = _checked(grid)
    assert recovered(grid.equations, protection.published) == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_COUNT, _COUNT, _COUNT), min_size=1, max_size=4))
def test_no_withheld_count_of_linked_periods_can_be_recovered(
    areas: list[tuple[int, int, int]],
) -> None:
    """Per area: clients then, who left, who came; clients now follows. Area totals and the
    equation between the periods together."""
    grid = Grid()
    names = tuple(f"a{i}" for i in range(len(areas)))
    dimension = Dimension(names, "all")
    then = {(name,): areas[i][0] + areas[i][1] for i, name in enumerate(names)}
    grid.table(("then",), [dimension], then)
    grid.table(("left",), [dimension], {(name,): areas[i][1] for i, name in enumerate(names)})
    grid.table(("came",), [dimension], {(name,): areas[i][2] for i, name in enumerate(names)})
    grid.table(
        ("now",), [dimension], {(name,): areas[i][0] + areas[i][2] for i, name in enumerate(names)}
    )
    for name in (*names, "all"):
        grid.equation(
            [(("then", name), 1), (("left", name), -1), (("now", name), -1), (("came", name), 1)]
        )
    protection = _checked(grid)
    assert recovered(grid.equations, protection.published) == {}
