"""delegates' weights; attendance, proxies, polls, who voted, secret ballots

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delegates") as batch:
        batch.add_column(sa.Column("weight", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "delegate_id"),
    )
    op.create_table(
        "proxies",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["giver_id"], ["delegates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["holder_id"], ["delegates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "giver_id"),
    )
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.Float(), nullable=True),
        sa.Column("closes_at", sa.Float(), nullable=True),
        sa.Column("closed_at", sa.Float(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("ballots_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_items.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "poll_voters",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.LargeBinary(length=16), nullable=True),
        sa.Column("marks", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("manual", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "delegate_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "secret_ballots",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.LargeBinary(length=16), nullable=False),
        sa.Column("marks", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "receipt"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("secret_ballots", "poll_voters", "polls", "proxies", "attendance"):
        op.drop_table(table)
    with op.batch_alter_table("delegates") as batch:
        batch.drop_column("weight")
