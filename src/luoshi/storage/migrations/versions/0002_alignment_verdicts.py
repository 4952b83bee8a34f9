"""Alignment verdicts: pairs planners confirmed or rejected, fed back into later alignments.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alignment_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("upper_ref", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("upper_key", sa.String(length=200), nullable=False),
        sa.Column("upper_title", sa.Text(), nullable=False),
        sa.Column("lower_key", sa.String(length=200), nullable=False),
        sa.Column("lower_title", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_alignment_verdicts_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_alignment_verdicts_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment_verdicts")),
        sa.UniqueConstraint(
            "plan_id",
            "upper_ref",
            "kind",
            "upper_key",
            "lower_key",
            name=op.f("uq_alignment_verdicts_plan_id"),
        ),
    )
    with op.batch_alter_table("alignment_verdicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alignment_verdicts_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alignment_verdicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_verdicts_plan_id"))
    op.drop_table("alignment_verdicts")
