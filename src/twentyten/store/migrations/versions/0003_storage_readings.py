"""grain storage readings and alerts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('storage_reading_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('crop', sa.String(length=16), nullable=False),
    sa.Column('first_time', sa.String(length=40), nullable=False),
    sa.Column('last_time', sa.String(length=40), nullable=False),
    sa.Column('n_rows', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('posted_by', sa.String(length=80), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_storage_reading_batch_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_reading_batch'))
    )
    with op.batch_alter_table('storage_reading_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storage_reading_batch_project_id'), ['project_id'], unique=False)

    op.create_table('storage_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('bin', sa.String(length=80), nullable=False),
    sa.Column('cable', sa.String(length=80), nullable=False),
    sa.Column('depth', sa.Float(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('time', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['storage_reading_batch.id'], name=op.f('fk_storage_alert_batch_id_storage_reading_batch')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_storage_alert_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_alert'))
    )
    with op.batch_alter_table('storage_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storage_alert_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storage_alert_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_storage_alert_project_time', ['project_id', 'time'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('storage_alert', schema=None) as batch_op:
        batch_op.drop_index('ix_storage_alert_project_time')
        batch_op.drop_index(batch_op.f('ix_storage_alert_kind'))
        batch_op.drop_index(batch_op.f('ix_storage_alert_batch_id'))

    op.drop_table('storage_alert')
    with op.batch_alter_table('storage_reading_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storage_reading_batch_project_id'))

    op.drop_table('storage_reading_batch')
