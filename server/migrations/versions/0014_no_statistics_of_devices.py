"""PostgreSQL keeps no statistics of which device holds a client (`device_clients`,
`device_held_clients`), and forgets those it has.

A device's rows are looked up by (device_id, client_id). The planner's estimate of how many rows
one device has comes from the device ids it sampled at the last ANALYZE: a device enrolled since
is estimated at 1 row, and in a deployment of fewer than 100 devices (the most common values
PostgreSQL keeps) that holds until a tenth of the table has changed. With that estimate it
scans all of a device's rows for each client it looks up, which cost an incremental sync of a
5,000-client device about 8 ms (measured with autovacuum off; a table analyzed while one device
held everything) and grows with the caseload. Without statistics of the column, an equality on
it is estimated at 0.5% of the table, whichever device it is, and a lookup by client probes the
primary key.

Setting the column's statistics target to 0 stops ANALYZE collecting them; altering the column
to its own type (no rewrite: the table and its index keep their files) drops those collected
before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("device_clients", "device_held_clients")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite keeps an average per index prefix, not the values it saw
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN device_id SET STATISTICS 0")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN device_id TYPE VARCHAR(36)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN device_id SET STATISTICS -1")
