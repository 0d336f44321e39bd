"""Three-way merge of records as field dicts (DESIGN.md section 4, SYNC.md rule 5).

A record is a mapping from field name to a JSON-like value. A field that a mapping does not hold is
`MISSING`, which is not the same as a field holding `None`: `None` is a cleared value that syncs,
`MISSING` means the side does not know the field at all.

Edits to different fields merge. When both sides changed the same field to different values, the
server value ("theirs") stays current and the other value is reported as a `FieldConflict` for a
person to resolve, so nothing is ever dropped silently.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "MISSING",
    "FieldConflict",
    "Missing",
    "merge",
    "merge_changes",
    "rebase",
    "same_value",
]


class Missing(enum.Enum):
    """Type of the `MISSING` sentinel; an enum so that mypy can narrow on `is MISSING`."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing.MISSING


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently; `merge` keeps `theirs` as the current value."""

    field: str
    base: object
    mine: object
    theirs: object


def _kind(value: object) -> type:
    # Python says 1 == True == 1.0, but after a JSON round trip they are different values, and a
    # caseworker changing 1 into True did make an edit. bool is tested before int on purpose.
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    # Subclasses such as StrEnum members count as their JSON form, because that is what the other
    # side will have after deserialising.
    if isinstance(value, str):
        return str
    if isinstance(value, list | tuple):
        return list
    if isinstance(value, Mapping):
        return dict
    return type(value)


def same_value(a: object, b: object) -> bool:
    """Whether two JSON-like values are the same value, telling `1`, `True` and `1.0` apart.

    Lists and dicts are compared element by element in the same way. NaN counts as equal to NaN,
    so that an unchanged NaN is never reported as a change or a conflict.
    """
    kind = _kind(a)
    if kind is not _kind(b):
        return False
    if kind is list:
        assert isinstance(a, list | tuple) and isinstance(b, list | tuple)
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        assert isinstance(a, Mapping) and isinstance(b, Mapping)
        return a.keys() == b.keys() and all(same_value(a[key], b[key]) for key in a)
    if kind is float:
        assert isinstance(a, float) and isinstance(b, float)
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def merge(
    base: Mapping[str, object],
    mine: Mapping[str, object],
    theirs: Mapping[str, object],
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Merge two edits of the record `base` field by field.

    For each field: both sides equal -> that value; only theirs changed -> theirs; only mine
    changed -> mine; both changed differently -> theirs, plus a `FieldConflict`. Fields whose
    merged value is `MISSING` are left out of the result. Conflicts are sorted by field name.
    """
    merged: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    # Theirs first keeps the server's field order in the result, which makes rows easy to diff.
    for field in dict.fromkeys([*theirs, *mine, *base]):
        b = base.get(field, MISSING)
        m = mine.get(field, MISSING)
        t = theirs.get(field, MISSING)
        if same_value(m, t) or same_value(m, b):
            value = t
        elif same_value(t, b):
            value = m
        else:
            value = t
            conflicts.append(FieldConflict(field, b, m, t))
        if value is not MISSING:
            merged[field] = value
    conflicts.sort(key=lambda conflict: conflict.field)
    return merged, conflicts


def _check_base_fields(base: Mapping[str, object], changed: Mapping[str, object]) -> None:
    # A base value for a field that is not in the edit cannot be placed: it is neither an edit nor
    # a removal we could express, so it is a bug in whoever built the entry.
    extra = sorted(set(base) - set(changed))
    if extra:
        raise ValueError(f"base values for fields that were not changed: {', '.join(extra)}")


def merge_changes(
    *,
    base: Mapping[str, object],
    changed: Mapping[str, object],
    current: Mapping[str, object],
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Decide on the server what one journal entry of a device may write.

    `changed` holds the device's new values of the fields it edited, `base` the values those fields
    had on the device before the edit (a field the device added has no base value), and `current`
    the full record as the server holds it now.

    Returns the values to write: the fields where the device wins (the server still holds the
    base value) or where both sides already agree. A field whose new value equals its base value is
    not an edit and is not written, so a stale entry never reverts a newer server value. The
    conflicts are the fields where the server moved away from the base to a value different from
    the device's; for those the server value stays and nothing is written.

    A device clears a field by sending `None`; `base` may not hold fields that `changed` lacks.
    """
    _check_base_fields(base, changed)
    theirs = {field: current[field] for field in changed if field in current}
    merged, conflicts = merge(base, changed, theirs)
    conflicting = {conflict.field for conflict in conflicts}
    to_write = {
        field: value
        for field, value in changed.items()
        if value is not MISSING
        and field not in conflicting
        and same_value(merged.get(field, MISSING), value)
    }
    return to_write, conflicts


def rebase(
    *,
    server: Mapping[str, object],
    pending_base: Mapping[str, object],
    pending_new: Mapping[str, object],
) -> tuple[dict[str, object], dict[str, object]]:
    """Apply a pulled record on a device that still has unpushed edits of it.

    `server` is the record as pulled, `pending_new` the device's unpushed new values and
    `pending_base` their base values (the same shape as `merge_changes` takes).

    Returns `(local_row, new_pending_base)`:

    - `local_row` is the server row with the device's own edits on top, because the device is the
      authority over its unsynced edits until the server acknowledges them. A pending field whose
      new value equals its base is not an edit, so there the server value shows.
    - `new_pending_base` is the server's value for each pending field the server did not change
      concurrently: the unchanged base, or the device's own new value when the server already
      holds it (that entry now writes nothing). Where the server moved to a third value the old
      base stays, so that the next push still reports the conflict; taking the server value there
      would let the push overwrite the other edit without anyone seeing it. A base that is
      `MISSING` is left out, as in the inputs.

    The caller keeps pushing `pending_new` with the returned base.
    """
    _check_base_fields(pending_base, pending_new)
    local_row = dict(server)
    new_base: dict[str, object] = {}
    for field, new in pending_new.items():
        old = pending_base.get(field, MISSING)
        current = server.get(field, MISSING)
        if not same_value(new, old):
            if new is MISSING:
                local_row.pop(field, None)
            else:
                local_row[field] = new
        settled = same_value(current, old) or same_value(current, new)
        base_value = current if settled else old
        if base_value is not MISSING:
            new_base[field] = base_value
    return local_row, new_base
