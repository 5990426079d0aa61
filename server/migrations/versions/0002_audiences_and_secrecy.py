"""audiences, anonymous log entries, meeting groups, code expiry

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
        "meeting_groups",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "group"),
    )
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("expires_at", sa.Float(), nullable=True))
    # Entries keep their bytes: the hash chain covers them, so nothing is rewritten, only the
    # columns widened (audiences name groups) and relaxed (secret entries record no actor/time).
    with op.batch_alter_table("events") as batch:
        batch.alter_column("at", existing_type=sa.Float(), nullable=True)
        batch.alter_column("actor", existing_type=sa.String(length=64), nullable=True)
        batch.alter_column(
            "audience", existing_type=sa.String(length=16), type_=sa.Text(), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.alter_column("audience", existing_type=sa.Text(), type_=sa.String(length=16))
        batch.alter_column("actor", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("at", existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("expires_at")
    op.drop_table("meeting_groups")
