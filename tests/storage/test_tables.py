"""The tables keep step with the domain: a row is a field dict plus the sync bookkeeping."""

from __future__ import annotations

import pytest

from app.domain.client import Client
from app.domain.records import RECORD_TYPES, Record
from app.storage.tables import DERIVED_COLUMNS, ENTITY_TABLES, SYNC_COLUMNS

from .conftest import make_client, one_of_each

SAMPLES: dict[str, Record] = {record.ENTITY: record for record in one_of_each(make_client())}


def test_the_samples_cover_every_record_type() -> None:
    assert {t.ENTITY for t in RECORD_TYPES} == set(SAMPLES)
    assert set(ENTITY_TABLES) == set(SAMPLES)


def test_sync_columns_are_the_bookkeeping_columns() -> None:
    assert frozenset({"id", "version", "updated_at", "deleted"}) == SYNC_COLUMNS


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.ENTITY)
def test_table_columns_are_exactly_the_fields_plus_bookkeeping(record_type: type[Record]) -> None:
    record = SAMPLES[record_type.ENTITY]
    assert type(record) is record_type
    table = ENTITY_TABLES[record_type.ENTITY]
    columns = {column.name for column in table.columns}
    derived = DERIVED_COLUMNS.get(table.name, frozenset())
    assert columns == set(record.to_fields()) | SYNC_COLUMNS | derived


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.ENTITY)
def test_client_id_column_on_every_table_but_clients(record_type: type[Record]) -> None:
    table = ENTITY_TABLES[record_type.ENTITY]
    if record_type is Client:
        assert "client_id" not in table.c
    else:
        assert "client_id" in table.c
        assert not table.c.client_id.nullable
        (foreign_key,) = table.c.client_id.foreign_keys
        assert foreign_key.target_fullname == "clients.id"


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.ENTITY)
def test_id_is_the_primary_key(record_type: type[Record]) -> None:
    table = ENTITY_TABLES[record_type.ENTITY]
    assert [column.name for column in table.primary_key.columns] == ["id"]
