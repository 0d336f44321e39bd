"""The brede intake field by field, review rounds and comment threads.

Every answer of the intake becomes a column of its own, so edits from two devices merge per
field: the scores JSON becomes a score and a remark column per life domain. The comments a team
lead gave when returning an intake become open threads, and every intake that was submitted gets
its first round, both stamped in the change feed so devices pull them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 03:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The life domains of every matrix version as released (frozen: a migration never follows later
# reference data).
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


def _answer_columns() -> list[sa.Column[Any]]:
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
        sa.Column("household_situation", sa.Text(), nullable=False, server_default=""),
    ]


_OLD_ANSWERS = ("ladder_current", "ladder_target", "barriers", "strengths")


def _flatten(scores: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, item in dict(scores or {}).items():
        if key in DOMAINS and isinstance(item, dict):
            values[f"score_{key}"] = item.get("score")
            values[f"remark_{key}"] = item.get("remark") or ""
    return values


def _next_position(conn: sa.Connection) -> int:
    conn.execute(sa.text("UPDATE sync_counter SET value = value + 1 WHERE id = 1"))
    return int(conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar_one())


def _move_answers(conn: sa.Connection, intakes: sa.Table) -> None:
    rows = conn.execute(sa.select(intakes.c.id, intakes.c.scores, intakes.c.submitted_at)).all()
    for row in rows:
        values = _flatten(row.scores)
        values["round"] = 1 if row.submitted_at else 0
        conn.execute(sa.update(intakes).where(intakes.c.id == row.id).values(**values))


def _rounds_and_threads(conn: sa.Connection, intakes: sa.Table) -> None:
    """Round 1 of every submitted intake, and the old comments as open threads."""
    answers = [c.name for c in _answer_columns()] + list(_OLD_ANSWERS)
    rounds = sa.table(
        "intake_rounds",
        *(sa.column(n) for n in ("id", "client_id", "intake_id", "number", "submitted_at")),
        *(sa.column(n) for n in ("submitted_by", "decision", "reviewer", "decided_at")),
        sa.column("content", sa.JSON()),
        *(sa.column(n) for n in ("version", "deleted", "updated_at", "updated_by", "position")),
    )
    comments = sa.table(
        "review_comments",
        *(sa.column(n) for n in ("id", "client_id", "intake_id", "thread_id", "section")),
        *(sa.column(n) for n in ("round", "author", "author_role", "text", "written_at")),
        *(sa.column(n) for n in ("status", "resolved_by", "resolved_at", "version")),
        *(sa.column(n) for n in ("deleted", "updated_at", "updated_by", "position")),
    )
    now = datetime.now(UTC)
    found = conn.execute(
        sa.select(intakes).where(intakes.c.submitted_at.is_not(None), intakes.c.deleted.is_(False))
    ).mappings()
    new_rounds, new_comments = [], []
    for row in found:
        decided = row["status"] in ("approved", "returned")
        new_rounds.append(
            {
                "id": str(uuid.uuid4()),
                "client_id": row["client_id"],
                "intake_id": row["id"],
                "number": 1,
                "submitted_at": row["submitted_at"],
                "submitted_by": row["caseworker"],
                "content": {name: row[name] for name in answers},
                "decision": row["status"] if decided else None,
                "reviewer": row["reviewer"] if decided else None,
                "decided_at": row["reviewed_at"] if decided else None,
                "version": 1,
                "deleted": False,
                "updated_at": now,
                "updated_by": "migration",
            }
        )
        for section, text in sorted(dict(row["review_comments"] or {}).items()):
            if not str(text).strip() or not row["reviewer"]:
                continue
            comment_id = str(uuid.uuid4())
            new_comments.append(
                {
                    "id": comment_id,
                    "client_id": row["client_id"],
                    "intake_id": row["id"],
                    "thread_id": comment_id,
                    "section": section,
                    "round": 1,
                    "author": row["reviewer"],
                    "author_role": "team_lead",
                    "text": str(text),
                    "written_at": row["reviewed_at"] or row["submitted_at"],
                    "status": "open",
                    "resolved_by": None,
                    "resolved_at": None,
                    "version": 1,
                    "deleted": False,
                    "updated_at": now,
                    "updated_by": row["reviewer"],
                }
            )
    if not new_rounds and not new_comments:
        return
    position = _next_position(conn)
    if new_rounds:
        conn.execute(sa.insert(rounds), [{**r, "position": position} for r in new_rounds])
    if new_comments:
        conn.execute(sa.insert(comments), [{**c, "position": position} for c in new_comments])


def upgrade() -> None:
    op.create_table(
        "intake_rounds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("intake_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.String(length=40), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_intake_rounds_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_rounds")),
    )
    with op.batch_alter_table("intake_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_rounds_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_intake_rounds_intake_id", ["intake_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_rounds_position"), ["position"], unique=False)

    op.create_table(
        "review_comments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("intake_id", sa.String(length=36), nullable=False),
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
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_review_comments_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_comments_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index("ix_review_comments_intake_id", ["intake_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_comments_position"), ["position"], unique=False)

    with op.batch_alter_table("intakes", schema=None) as batch_op:
        for column in _answer_columns():
            batch_op.add_column(column)
        batch_op.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="0"))
    conn = op.get_bind()
    intakes = sa.Table("intakes", sa.MetaData(), autoload_with=conn)
    _move_answers(conn, intakes)
    intakes = sa.Table("intakes", sa.MetaData(), autoload_with=conn)
    _rounds_and_threads(conn, intakes)
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.drop_column("review_comments")
        batch_op.drop_column("scores")


def downgrade() -> None:
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scores", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("review_comments", sa.JSON(), nullable=True))
    conn = op.get_bind()
    intakes = sa.Table("intakes", sa.MetaData(), autoload_with=conn)
    for row in conn.execute(sa.select(intakes)).mappings():
        scores = {
            key: {"score": row[f"score_{key}"], "remark": row[f"remark_{key}"] or ""}
            for key in DOMAINS
            if row[f"score_{key}"] is not None or row[f"remark_{key}"]
        }
        conn.execute(
            sa.update(intakes)
            .where(intakes.c.id == row["id"])
            .values(scores=scores, review_comments={})
        )
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.alter_column("scores", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("review_comments", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("round")
        for column in _answer_columns():
            batch_op.drop_column(column.name)
    op.drop_table("review_comments")
    op.drop_table("intake_rounds")
