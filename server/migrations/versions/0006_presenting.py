"""presenting: what a meeting's presenter shows, and an agenda item's presenter

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("presenter_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_agenda_items_presenter_id",
            "delegates",
            ["presenter_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "presentations",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("presenter_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["presenter_id"], ["delegates.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("meeting_id"),
    )


def downgrade() -> None:
    op.drop_table("presentations")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_constraint("fk_agenda_items_presenter_id", type_="foreignkey")
        batch.drop_column("presenter_id")
