from __future__ import annotations

import math
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.merge import (
    MISSING,
    FieldConflict,
    Missing,
    merge,
    merge_changes,
    rebase,
    same_value,
)

Record = dict[str, object]

KEYS = ["naam", "adres", "ladder", "score", "notitie", "regelingen"]

# A few values that Python's == confuses with each other, so the strategies hit them often.
TRICKY: st.SearchStrategy[object] = st.sampled_from(
    [0, 1, True, False, 1.0, 0.0, -0.0, None, "", "1", [], {}, [1], [True]]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=True, allow_infinity=False, width=16),
    st.text(alphabet="aeéëïöüĳ ßø—€😀", max_size=4),
    TRICKY,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "ç"]), children, max_size=2),
    ),
    max_leaves=6,
)
records = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=len(KEYS))


@st.composite
def edit_of(draw: st.DrawFn, base: Mapping[str, object]) -> Record:
    """An edit of `base`: each field kept, removed or replaced, and possibly fields added."""
    edited: Record = {}
    for key in KEYS:
        action = draw(st.sampled_from(["keep", "keep", "drop", "set"]))
        if action == "keep" and key in base:
            edited[key] = base[key]
        elif action == "set":
            edited[key] = draw(json_values)
    return edited


@st.composite
def triples(draw: st.DrawFn) -> tuple[Record, Record, Record]:
    base = draw(records)
    mine = draw(edit_of(base))
    # Sometimes both sides make the very same edit, which must never be a conflict.
    theirs = dict(mine) if draw(st.integers(0, 5)) == 0 else draw(edit_of(base))
    return base, mine, theirs


def same_record(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    return same_value(dict(a), dict(b))


def changed_fields(base: Mapping[str, object], side: Mapping[str, object]) -> set[str]:
    return {
        key
        for key in {*base, *side}
        if not same_value(base.get(key, MISSING), side.get(key, MISSING))
    }


# --- properties -----------------------------------------------------------------------------


@given(triples())
def test_no_change_is_lost_without_a_conflict(triple: tuple[Record, Record, Record]) -> None:
    base, mine, theirs = triple
    merged, conflicts = merge(base, mine, theirs)
    by_field = {conflict.field: conflict for conflict in conflicts}
    for side, attribute in ((mine, "mine"), (theirs, "theirs")):
        for key in changed_fields(base, side):
            value = side.get(key, MISSING)
            kept = same_value(merged.get(key, MISSING), value)
            reported = key in by_field and same_value(getattr(by_field[key], attribute), value)
            assert kept or reported, (key, attribute)


@given(records, records)
def test_one_sided_edit_is_taken_whole(base: Record, other: Record) -> None:
    merged, conflicts = merge(base, base, other)
    assert same_record(merged, other) and conflicts == []
    merged, conflicts = merge(base, other, base)
    assert same_record(merged, other) and conflicts == []


@given(triples())
def test_conflict_fields_are_symmetric(triple: tuple[Record, Record, Record]) -> None:
    base, mine, theirs = triple
    _, conflicts = merge(base, mine, theirs)
    _, swapped = merge(base, theirs, mine)
    assert [c.field for c in conflicts] == [c.field for c in swapped]
    for conflict, mirrored in zip(conflicts, swapped, strict=True):
        assert same_value(conflict.mine, mirrored.theirs)
        assert same_value(conflict.theirs, mirrored.mine)


@given(records, records)
def test_same_edit_on_both_sides_is_idempotent(base: Record, edit: Record) -> None:
    merged, conflicts = merge(base, edit, edit)
    assert same_record(merged, edit) and conflicts == []


@given(triples())
def test_conflicts_only_where_both_sides_changed_differently(
    triple: tuple[Record, Record, Record],
) -> None:
    base, mine, theirs = triple
    _, conflicts = merge(base, mine, theirs)
    expected = {
        key
        for key in changed_fields(base, mine) & changed_fields(base, theirs)
        if not same_value(mine.get(key, MISSING), theirs.get(key, MISSING))
    }
    assert {c.field for c in conflicts} == expected
    for conflict in conflicts:
        assert same_value(conflict.base, base.get(conflict.field, MISSING))
        assert same_value(conflict.mine, mine.get(conflict.field, MISSING))
        assert same_value(conflict.theirs, theirs.get(conflict.field, MISSING))


@given(triples())
def test_merged_keeps_theirs_on_conflict(triple: tuple[Record, Record, Record]) -> None:
    base, mine, theirs = triple
    merged, conflicts = merge(base, mine, theirs)
    for conflict in conflicts:
        assert same_value(merged.get(conflict.field, MISSING), conflict.theirs)


@given(triples())
def test_result_is_deterministic_and_well_formed(triple: tuple[Record, Record, Record]) -> None:
    base, mine, theirs = triple
    merged, conflicts = merge(base, mine, theirs)
    assert MISSING not in merged.values()
    assert set(merged) <= {*base, *mine, *theirs}
    assert [c.field for c in conflicts] == sorted(c.field for c in conflicts)
    again, again_conflicts = merge(dict(base), dict(mine), dict(theirs))
    assert same_record(merged, again)
    assert [c.field for c in again_conflicts] == [c.field for c in conflicts]


@given(triples())
def test_merge_changes_agrees_with_merge(triple: tuple[Record, Record, Record]) -> None:
    """The server's view of a journal entry gives the same outcome as the full merge."""
    base, mine, current = triple
    changed = {k: mine[k] for k in changed_fields(base, mine) if k in mine}
    entry_base = {k: base[k] for k in changed if k in base}
    to_write, conflicts = merge_changes(base=entry_base, changed=changed, current=current)
    merged, full_conflicts = merge(base, mine, current)
    expected_conflicts = [c for c in full_conflicts if c.field in changed]
    assert [c.field for c in conflicts] == [c.field for c in expected_conflicts]
    applied = {**current, **to_write}
    for key in changed:
        assert same_value(applied.get(key, MISSING), merged.get(key, MISSING))


@given(triples())
def test_rebase_then_push_loses_nothing(triple: tuple[Record, Record, Record]) -> None:
    """Pull during pending edits, then push: the server ends where a direct push would end."""
    base, mine, server = triple
    pending_new = {k: mine[k] for k in changed_fields(base, mine) if k in mine}
    pending_base = {k: base[k] for k in pending_new if k in base}
    local, new_base = rebase(server=server, pending_base=pending_base, pending_new=pending_new)
    for key in pending_new:
        if not same_value(pending_new[key], pending_base.get(key, MISSING)):
            assert same_value(local[key], pending_new[key])
    direct = merge_changes(base=pending_base, changed=pending_new, current=server)
    after = merge_changes(base=new_base, changed=pending_new, current=server)
    assert [c.field for c in after[1]] == [c.field for c in direct[1]]
    assert same_record({**server, **after[0]}, {**server, **direct[0]})


# --- 1, True and 1.0 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, True),
        (1, 1.0),
        (True, 1.0),
        (0, False),
        (0, None),
        ("", None),
        ([1], [True]),
        ([1], (1.0,)),
        ({"x": 1}, {"x": 1.0}),
        ({"x": [0]}, {"x": [False]}),
        ({"x": 1}, {"x": 1, "y": None}),
    ],
)
def test_python_equal_but_different_values(a: object, b: object) -> None:
    assert not same_value(a, b)
    merged, conflicts = merge({"f": a}, {"f": b}, {"f": a})
    assert conflicts == [] and type(merged["f"]) is type(b)
    merged, conflicts = merge({"f": a}, {"f": b}, {"f": "iets anders"})
    assert [c.field for c in conflicts] == ["f"]


def test_one_true_and_one_point_zero() -> None:
    merged, conflicts = merge({"f": 1}, {"f": True}, {"f": 1})
    assert merged["f"] is True and conflicts == []
    merged, conflicts = merge({"f": 1}, {"f": 1}, {"f": 1.0})
    assert isinstance(merged["f"], float) and conflicts == []
    merged, conflicts = merge({"f": 1}, {"f": True}, {"f": 1.0})
    assert merged["f"] == 1.0 and type(merged["f"]) is float
    assert conflicts == [FieldConflict("f", 1, True, 1.0)]
    assert type(conflicts[0].mine) is bool


def test_same_value_basics() -> None:
    assert same_value(MISSING, MISSING)
    assert not same_value(MISSING, None)
    assert same_value(math.nan, float("nan"))
    assert same_value([1, {"a": "é"}], (1, {"a": "é"}))
    assert not same_value([1, 2], [1])
    assert not same_value({"a": 1}, {"b": 1})
    assert same_value(-0.0, 0.0)


def test_missing_sentinel() -> None:
    assert repr(MISSING) == "MISSING"
    assert MISSING is Missing.MISSING
    assert repr(FieldConflict("f", MISSING, 1, None)) == (
        "FieldConflict(field='f', base=MISSING, mine=1, theirs=None)"
    )


# --- examples -----------------------------------------------------------------------------------


def test_merge_example_different_fields_both_survive() -> None:
    base = {"naam": "Jansen", "adres": "Hoofdstraat 1", "ladder": 2}
    mine = {"naam": "Jansen", "adres": "Hoofdstraat 1", "ladder": 3}
    theirs = {"naam": "Jansen", "adres": "Stationsweg 4, Uithuizen", "ladder": 2}
    merged, conflicts = merge(base, mine, theirs)
    assert merged == {"naam": "Jansen", "adres": "Stationsweg 4, Uithuizen", "ladder": 3}
    assert conflicts == []


def test_merge_example_same_field_conflicts() -> None:
    base = {"notitie": "Eerste gesprek", "ladder": 2}
    mine = {"notitie": "Cliënt wil vrijwilligerswerk", "ladder": 2}
    theirs = {"notitie": "Doorverwezen naar schuldhulp", "ladder": 3}
    merged, conflicts = merge(base, mine, theirs)
    assert merged == {"notitie": "Doorverwezen naar schuldhulp", "ladder": 3}
    assert conflicts == [
        FieldConflict(
            "notitie",
            "Eerste gesprek",
            "Cliënt wil vrijwilligerswerk",
            "Doorverwezen naar schuldhulp",
        )
    ]


def test_merge_example_removed_against_edited() -> None:
    merged, conflicts = merge({"f": 1, "g": 1}, {"g": 1}, {"f": 2, "g": 1})
    assert merged == {"f": 2, "g": 1}
    assert conflicts == [FieldConflict("f", 1, MISSING, 2)]
    merged, conflicts = merge({"f": 1}, {}, {"f": 1})
    assert merged == {} and conflicts == []


def test_merge_conflicts_are_sorted() -> None:
    base = {"z": 0, "a": 0, "m": 0}
    _, conflicts = merge(base, {"z": 1, "a": 1, "m": 1}, {"z": 2, "a": 2, "m": 2})
    assert [c.field for c in conflicts] == ["a", "m", "z"]


def test_merge_changes_device_wins_where_server_unchanged() -> None:
    current = {"naam": "Jansen", "adres": "Hoofdstraat 1", "ladder": 2, "versie": 7}
    to_write, conflicts = merge_changes(
        base={"adres": "Hoofdstraat 1"},
        changed={"adres": "Wierde 3, Ulrum"},
        current=current,
    )
    assert to_write == {"adres": "Wierde 3, Ulrum"} and conflicts == []


def test_merge_changes_server_already_has_the_value() -> None:
    to_write, conflicts = merge_changes(
        base={"ladder": 2}, changed={"ladder": 3}, current={"ladder": 3, "naam": "De Vries"}
    )
    assert to_write == {"ladder": 3} and conflicts == []


def test_merge_changes_conflict_keeps_server_value() -> None:
    to_write, conflicts = merge_changes(
        base={"ladder": 2, "notitie": "oud"},
        changed={"ladder": 3, "notitie": "nieuw"},
        current={"ladder": 4, "notitie": "oud"},
    )
    assert to_write == {"notitie": "nieuw"}
    assert conflicts == [FieldConflict("ladder", 2, 3, 4)]


def test_merge_changes_added_field() -> None:
    to_write, conflicts = merge_changes(
        base={}, changed={"telefoon": "0595 123456"}, current={"naam": "Bakker"}
    )
    assert to_write == {"telefoon": "0595 123456"} and conflicts == []
    # Both added the field with different values: the server's stays, the device's is kept.
    to_write, conflicts = merge_changes(
        base={}, changed={"telefoon": "0595 123456"}, current={"telefoon": "06 12345678"}
    )
    assert to_write == {}
    assert conflicts == [FieldConflict("telefoon", MISSING, "0595 123456", "06 12345678")]


def test_merge_changes_cleared_field_is_none_not_missing() -> None:
    to_write, conflicts = merge_changes(
        base={"telefoon": "0595 123456"},
        changed={"telefoon": None},
        current={"telefoon": "0595 123456"},
    )
    assert to_write == {"telefoon": None} and conflicts == []
    # The server cleared it while the device changed it: a conflict, not a silent None.
    to_write, conflicts = merge_changes(
        base={"telefoon": "0595 123456"},
        changed={"telefoon": "06 12345678"},
        current={"telefoon": None},
    )
    assert to_write == {}
    assert conflicts == [FieldConflict("telefoon", "0595 123456", "06 12345678", None)]
    # A field the server record does not hold at all is MISSING there, which is not None.
    to_write, conflicts = merge_changes(
        base={"telefoon": None}, changed={"telefoon": "06 12345678"}, current={}
    )
    assert to_write == {}
    assert conflicts == [FieldConflict("telefoon", None, "06 12345678", MISSING)]


def test_merge_changes_stale_no_op_entry_never_reverts() -> None:
    to_write, conflicts = merge_changes(
        base={"ladder": 2}, changed={"ladder": 2}, current={"ladder": 5}
    )
    assert to_write == {} and conflicts == []


def test_merge_changes_type_change_is_an_edit() -> None:
    to_write, conflicts = merge_changes(base={"f": 1}, changed={"f": True}, current={"f": 1})
    assert to_write == {"f": True} and type(to_write["f"]) is bool and conflicts == []


def test_merge_changes_rejects_base_without_change() -> None:
    with pytest.raises(ValueError, match="naam"):
        merge_changes(base={"naam": "Smit", "f": 1}, changed={"f": 2}, current={})


def test_rebase_reapplies_local_edits_on_the_pulled_row() -> None:
    server = {"naam": "Jansen", "adres": "Stationsweg 4", "ladder": 2, "notitie": "oud"}
    local, new_base = rebase(
        server=server,
        pending_base={"ladder": 2, "notitie": "oud"},
        pending_new={"ladder": 3, "notitie": "nieuw"},
    )
    assert local == {"naam": "Jansen", "adres": "Stationsweg 4", "ladder": 3, "notitie": "nieuw"}
    assert new_base == {"ladder": 2, "notitie": "oud"}
    assert server["ladder"] == 2  # inputs are not changed


def test_rebase_added_and_cleared_fields() -> None:
    local, new_base = rebase(
        server={"naam": "Bakker", "telefoon": "0595 123456"},
        pending_base={"telefoon": "0595 123456"},
        pending_new={"telefoon": None, "email": "bakker@example.org"},
    )
    assert local == {"naam": "Bakker", "telefoon": None, "email": "bakker@example.org"}
    # The server has no e-mail field yet: its base stays MISSING, i.e. absent.
    assert new_base == {"telefoon": "0595 123456"}


def test_rebase_server_already_holds_the_edit() -> None:
    local, new_base = rebase(
        server={"ladder": 3, "naam": "Smit"}, pending_base={"ladder": 2}, pending_new={"ladder": 3}
    )
    assert local == {"ladder": 3, "naam": "Smit"}
    assert new_base == {"ladder": 3}
    assert merge_changes(base=new_base, changed={"ladder": 3}, current={"ladder": 3}) == (
        {"ladder": 3},
        [],
    )


def test_rebase_keeps_the_old_base_where_the_server_moved_concurrently() -> None:
    """Otherwise the next push would overwrite the other edit without a conflict."""
    pending_base, pending_new = {"ladder": 2}, {"ladder": 3}
    server = {"ladder": 4}
    local, new_base = rebase(server=server, pending_base=pending_base, pending_new=pending_new)
    assert local == {"ladder": 3}
    assert new_base == {"ladder": 2}
    _, conflicts = merge_changes(base=new_base, changed=pending_new, current=server)
    assert conflicts == [FieldConflict("ladder", 2, 3, 4)]


def test_rebase_no_op_pending_edit_shows_server_value() -> None:
    local, new_base = rebase(
        server={"ladder": 4}, pending_base={"ladder": 2}, pending_new={"ladder": 2}
    )
    assert local == {"ladder": 4}
    assert merge_changes(base=new_base, changed={"ladder": 2}, current={"ladder": 4}) == ({}, [])


def test_rebase_rejects_base_without_change() -> None:
    with pytest.raises(ValueError, match="naam"):
        rebase(server={}, pending_base={"naam": "Smit"}, pending_new={})
