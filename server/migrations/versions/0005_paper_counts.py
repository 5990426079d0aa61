"""a poll's paper count, entered when it closes; the proxy holder who cast a named vote;
whether a closed secret poll's rows have been written again in key order

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.add_column(sa.Column("paper", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("settled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("poll_voters") as batch:
        batch.add_column(sa.Column("cast_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_poll_voters_cast_by", "delegates", ["cast_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("poll_voters") as batch:
        batch.drop_constraint("fk_poll_voters_cast_by", type_="foreignkey")
        batch.drop_column("cast_by")
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("settled")
        batch.drop_column("paper")
