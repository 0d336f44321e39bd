"""The brede intake field by field, review rounds and comment threads.

Every answer of the intake becomes a column of its own so edits merge per field: the JSON of
scores becomes a score and a remark column per life domain, and the team lead's review comments
become threads (the server turns the old comments into threads; this device pulls them). Pending
changes and kept conflicts that name the old scores field are rewritten per domain, so nothing
waiting to be sent or resolved is lost.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 03:00:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The life domains of every matrix version as released (frozen here: a migration never follows
# later reference data).
DOMAINS = (
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
    "dagbesteding",
    "verslaving",
    "adl_vaardigheden",
)


def _intake_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("score_financien", sa.Integer(), nullable=True),
        sa.Column("remark_financien", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_werk_opleiding", sa.Integer(), nullable=True),
        sa.Column("remark_werk_opleiding", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_tijdsbesteding", sa.Integer(), nullable=True),
        sa.Column("remark_tijdsbesteding", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_huisvesting", sa.Integer(), nullable=True),
        sa.Column("remark_huisvesting", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_huiselijke_relaties", sa.Integer(), nullable=True),
        sa.Column("remark_huiselijke_relaties", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_geestelijke_gezondheid", sa.Integer(), nullable=True),
        sa.Column("remark_geestelijke_gezondheid", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_lichamelijke_gezondheid", sa.Integer(), nullable=True),
        sa.Column("remark_lichamelijke_gezondheid", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_middelengebruik", sa.Integer(), nullable=True),
        sa.Column("remark_middelengebruik", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_basale_adl", sa.Integer(), nullable=True),
        sa.Column("remark_basale_adl", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_instrumentele_adl", sa.Integer(), nullable=True),
        sa.Column("remark_instrumentele_adl", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_sociaal_netwerk", sa.Integer(), nullable=True),
        sa.Column("remark_sociaal_netwerk", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_maatschappelijke_participatie", sa.Integer(), nullable=True),
        sa.Column(
            "remark_maatschappelijke_participatie", sa.Text(), nullable=False, server_default=""
        ),
        sa.Column("score_justitie", sa.Integer(), nullable=True),
        sa.Column("remark_justitie", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_dagbesteding", sa.Integer(), nullable=True),
        sa.Column("remark_dagbesteding", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_verslaving", sa.Integer(), nullable=True),
        sa.Column("remark_verslaving", sa.Text(), nullable=False, server_default=""),
        sa.Column("score_adl_vaardigheden", sa.Integer(), nullable=True),
        sa.Column("remark_adl_vaardigheden", sa.Text(), nullable=False, server_default=""),
        sa.Column("household_situation", sa.Text(), nullable=False, server_default=""),
        sa.Column("consent_participatiewet", sa.Boolean(), nullable=True),
        sa.Column("consent_wsw", sa.Boolean(), nullable=True),
        sa.Column("consent_wajong", sa.Boolean(), nullable=True),
        sa.Column("consent_inburgering", sa.Boolean(), nullable=True),
        sa.Column("consent_kinderopvang", sa.Boolean(), nullable=True),
        sa.Column("consent_wmo", sa.Boolean(), nullable=True),
        sa.Column("consent_jeugd", sa.Boolean(), nullable=True),
        sa.Column("consent_leerplicht_rmc", sa.Boolean(), nullable=True),
        sa.Column("pw_melding_date", sa.String(length=10), nullable=True),
        sa.Column("pw_aanvraag_date", sa.String(length=10), nullable=True),
        sa.Column("pw_art9_explained", sa.Boolean(), nullable=True),
        sa.Column("pw_art18_explained", sa.Boolean(), nullable=True),
        sa.Column("pw_taaleis_exemption", sa.Text(), nullable=False, server_default=""),
        sa.Column("pw_taal_lezen", sa.String(length=20), nullable=True),
        sa.Column("pw_taal_luisteren", sa.String(length=20), nullable=True),
        sa.Column("pw_taal_gesprekken", sa.String(length=20), nullable=True),
        sa.Column("pw_taal_schrijven", sa.String(length=20), nullable=True),
        sa.Column("pw_taaleis_notice_date", sa.String(length=10), nullable=True),
        sa.Column("pw_taaleis_agreed_date", sa.String(length=10), nullable=True),
        sa.Column("wmo_melding_date", sa.String(length=10), nullable=True),
        sa.Column("wmo_aanvraag_date", sa.String(length=10), nullable=True),
        sa.Column("wmo_clientondersteuning_told", sa.Boolean(), nullable=True),
        sa.Column("wmo_personal_plan_told", sa.Boolean(), nullable=True),
        sa.Column("wmo_topic_needs", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_own_strength", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_carer_support", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_general_facilities", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_cooperation", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_tailored_support", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_topic_cost_contribution", sa.Text(), nullable=False, server_default=""),
        sa.Column("wmo_identity_checked", sa.Boolean(), nullable=True),
        sa.Column("wmo_mantelzorger_present", sa.Boolean(), nullable=True),
        sa.Column("wmo_report_given_date", sa.String(length=10), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False, server_default="0"),
    ]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def flatten_scores(scores: Any) -> dict[str, Any]:
    """The old scores JSON as the new per-domain fields."""
    values: dict[str, Any] = {}
    for key, item in dict(scores or {}).items():
        if key in DOMAINS and isinstance(item, dict):
            values[f"score_{key}"] = item.get("score")
            values[f"remark_{key}"] = item.get("remark") or ""
    return values


def _flatten_entry(values: dict[str, Any]) -> dict[str, Any]:
    if "scores" not in values:
        return values
    rest = {k: v for k, v in values.items() if k not in ("scores", "review_comments")}
    return {**rest, **flatten_scores(values["scores"])}


def _record_table(name: str, *columns: sa.Column[Any]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("intake_id", sa.String(length=36), nullable=False),
        *columns,
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f(f"fk_{name}_client_id")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_intake_id"), ["intake_id"], unique=False)


def _move_scores(conn: sa.Connection) -> None:
    for row in conn.execute(sa.text("SELECT id, scores, submitted_at FROM intakes")).all():
        values = flatten_scores(_json(row.scores))
        values["round"] = 1 if row.submitted_at else 0
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        conn.execute(
            sa.text(f"UPDATE intakes SET {assignments} WHERE id = :_id"),
            {**values, "_id": row.id},
        )


def _rewrite_journal(conn: sa.Connection) -> None:
    entries = conn.execute(
        sa.text("SELECT seq, base_values, new_values FROM journal WHERE entity = 'intake'")
    ).all()
    for entry in entries:
        base, new = _json(entry.base_values) or {}, _json(entry.new_values) or {}
        if "scores" not in base and "scores" not in new:
            continue
        conn.execute(
            sa.text("UPDATE journal SET base_values = :base, new_values = :new WHERE seq = :seq"),
            {
                "base": json.dumps(_flatten_entry(base)),
                "new": json.dumps(_flatten_entry(new)),
                "seq": entry.seq,
            },
        )


def _split_conflicts(conn: sa.Connection) -> None:
    """A kept conflict on the whole scores field becomes one per domain that differs."""
    rows = conn.execute(
        sa.text("SELECT * FROM conflicts WHERE entity = 'intake' AND field = 'scores'")
    ).all()
    for row in rows:
        base, mine, theirs = (flatten_scores(_json(v)) for v in (row.base, row.mine, row.theirs))
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name) == theirs.get(name):
                continue
            conn.execute(
                sa.text(
                    "INSERT INTO conflicts (entity, record_id, client_id, field, kind, base, "
                    "mine, theirs, mutation_id, code, created_at, resolved_at, resolution) "
                    "VALUES ('intake', :record_id, :client_id, :field, :kind, :base, :mine, "
                    ":theirs, :mutation_id, :code, :created_at, :resolved_at, NULL)"
                ),
                {
                    "record_id": row.record_id,
                    "client_id": row.client_id,
                    "field": name,
                    "kind": row.kind,
                    "base": json.dumps(base.get(name)),
                    "mine": json.dumps(mine.get(name)),
                    "theirs": json.dumps(theirs.get(name)),
                    "mutation_id": row.mutation_id,
                    "code": row.code,
                    "created_at": row.created_at,
                    "resolved_at": row.resolved_at,
                },
            )
        conn.execute(sa.text("DELETE FROM conflicts WHERE id = :id"), {"id": row.id})


def upgrade() -> None:
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        for column in _intake_columns():
            batch_op.add_column(column)
    conn = op.get_bind()
    _move_scores(conn)
    _rewrite_journal(conn)
    _split_conflicts(conn)
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.drop_column("scores")
        batch_op.drop_column("review_comments")
    _record_table(
        "intake_rounds",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.String(length=40), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.String(length=40), nullable=True),
    )
    _record_table(
        "review_comments",
        sa.Column("thread_id", sa.String(length=36), nullable=False),
        sa.Column("section", sa.String(length=30), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("author_role", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", sa.String(length=40), nullable=True),
    )


def downgrade() -> None:
    # Back to one JSON of scores; review threads and rounds live on the server and come back
    # with a newer version.
    op.drop_table("review_comments")
    op.drop_table("intake_rounds")
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scores", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("review_comments", sa.JSON(), nullable=False, server_default="{}")
        )
    conn = op.get_bind()
    names = ", ".join(f"score_{k}, remark_{k}" for k in DOMAINS)
    for row in conn.execute(sa.text(f"SELECT id, {names} FROM intakes")).all():
        mapping = row._mapping
        scores = {
            key: {"score": mapping[f"score_{key}"], "remark": mapping[f"remark_{key}"] or ""}
            for key in DOMAINS
            if mapping[f"score_{key}"] is not None or mapping[f"remark_{key}"]
        }
        conn.execute(
            sa.text("UPDATE intakes SET scores = :scores WHERE id = :id"),
            {"scores": json.dumps(scores), "id": row.id},
        )
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        for column in _intake_columns():
            batch_op.drop_column(column.name)
