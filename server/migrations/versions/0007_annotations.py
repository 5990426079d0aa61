"""annotations: delegates' sealed annotations, their key's id and its envelopes; whether a
meeting lets delegates keep their notes after a wipe, and export their annotated copy

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(
            sa.Column("notes_kept", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("export_allowed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "annotation_keys",
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.LargeBinary(16), nullable=False),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("delegate_id"),
    )
    op.create_table(
        "annotation_devices",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.LargeBinary(16), nullable=True),
        sa.Column("envelope", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_table(
        "annotations",
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.LargeBinary(16), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("delegate_id", "id"),
        sa.UniqueConstraint("delegate_id", "cursor", name="uq_annotations_cursor"),
    )
    op.create_index("ix_annotations_meeting_id", "annotations", ["meeting_id"])


def downgrade() -> None:
    op.drop_index("ix_annotations_meeting_id", "annotations")
    op.drop_table("annotations")
    op.drop_table("annotation_devices")
    op.drop_table("annotation_keys")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("export_allowed")
        batch.drop_column("notes_kept")
