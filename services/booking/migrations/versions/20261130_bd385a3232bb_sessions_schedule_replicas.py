"""sessions, schedule and replicas: the booking API's tables

Booking had no API and no consumer before this revision, so its four tables (session_bookings,
group_classes, class_participations, programme_subscriptions) hold no rows anywhere: they are rebuilt
with their new columns and guards (the exclusion constraint now covers each booking's buffer), and
refused with an error if they hold rows after all. New: the replicas (trainers, services, programmes,
users) and the schedule (weekly windows, date overrides, time slots, booking policies). The exclusion
constraints are PostgreSQL's (btree_gist, created by the initial revision).

Revision ID: bd385a3232bb
Revises: fdd8c568f880
Create Date: 2026-11-30 06:05:17.103399
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'bd385a3232bb'
down_revision: str | Sequence[str] | None = 'fdd8c568f880'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REBUILT = ('class_participations', 'group_classes', 'session_bookings', 'programme_subscriptions')
NEW = ('trainers', 'services', 'programmes', 'users', 'availability_windows', 'availability_overrides', 'time_slots',
       'booking_policies')


def _refuse_rows() -> None:
    connection = op.get_bind()
    for table in REBUILT:
        if connection.execute(sa.text(f'SELECT 1 FROM {table} LIMIT 1')).first() is not None:  # noqa: S608
            raise RuntimeError(f'{table} holds rows; this revision rebuilds it and expects it empty')


def upgrade() -> None:
    _refuse_rows()
    for table in REBUILT:
        op.drop_table(table)
    op.create_table('group_classes',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('scheduled_date', sa.Date(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('seat_version', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('room', sa.String(length=200), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_group_classes_capacity_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_group_classes_ends_after_start')),
    sa.CheckConstraint('participants >= 0 AND participants <= capacity', name=op.f('ck_group_classes_participants_within_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_classes'))
    )
    op.create_index('ix_group_classes_trainer_time', 'group_classes', ['client_id', 'trainer_id', 'starts_at'], unique=False)
    op.create_table('session_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('service_name', sa.String(length=200), nullable=True),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('meeting_link', sa.String(length=500), nullable=True),
    sa.Column('room', sa.String(length=200), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=False),
    sa.Column('late_cancellation', sa.Boolean(), nullable=False),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    postgresql.ExcludeConstraint((sa.column('client_id'), '='), (sa.column('trainer_id'), '='), (sa.text("tstzrange(starts_at, blocked_until, '[)')"), '&&'), where=sa.text("status <> 'cancelled'"), using='gist', name='ex_session_bookings_no_overlap').ddl_if(dialect='postgresql'),
    sa.CheckConstraint("status IN ('confirmed', 'completed', 'cancelled', 'no_show')", name=op.f('ck_session_bookings_status_known')),
    sa.CheckConstraint('blocked_until >= ends_at', name=op.f('ck_session_bookings_blocked_through_end')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_session_bookings_ends_after_start')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_session_bookings_price_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_bookings'))
    )
    op.create_index('ix_session_bookings_trainer_time', 'session_bookings', ['client_id', 'trainer_id', 'starts_at'], unique=False)
    op.create_index('ix_session_bookings_user_time', 'session_bookings', ['client_id', 'user_id', 'starts_at'], unique=False)
    op.create_table('programme_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('paused_on', sa.Date(), nullable=True),
    sa.Column('payment_amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'paused', 'cancelled', 'completed')", name=op.f('ck_programme_subscriptions_status_known')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_programme_subscriptions_ends_after_start')),
    sa.CheckConstraint('payment_amount >= 0', name=op.f('ck_programme_subscriptions_payment_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_subscriptions'))
    )
    op.create_index('ix_programme_subscriptions_user', 'programme_subscriptions', ['client_id', 'user_id'], unique=False)
    op.create_index('uq_programme_subscriptions_live', 'programme_subscriptions', ['programme_id', 'user_id'], unique=True, postgresql_where=sa.text("status IN ('active', 'paused')"), sqlite_where=sa.text("status IN ('active', 'paused')"))
    op.create_table('class_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('payment_amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=False),
    sa.Column('late_cancellation', sa.Boolean(), nullable=False),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('joined', 'cancelled')", name=op.f('ck_class_participations_status_known')),
    sa.CheckConstraint('payment_amount >= 0', name=op.f('ck_class_participations_payment_not_negative')),
    sa.ForeignKeyConstraint(['class_id'], ['group_classes.id'], name=op.f('fk_class_participations_class_id_group_classes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_participations'))
    )
    op.create_index('ix_class_participations_user', 'class_participations', ['client_id', 'user_id'], unique=False)
    op.create_index('uq_class_participations_joined', 'class_participations', ['class_id', 'user_id'], unique=True, postgresql_where=sa.text("status = 'joined'"), sqlite_where=sa.text("status = 'joined'"))
    op.create_table('trainers',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainers'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('duration', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    op.create_index('ix_services_trainer', 'services', ['client_id', 'trainer_id'], unique=False)
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('subscribers', sa.Integer(), nullable=False),
    sa.Column('subscribers_version', sa.Integer(), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('subscribers >= 0', name=op.f('ck_programmes_subscribers_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    op.create_table('availability_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('day_of_week', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    postgresql.ExcludeConstraint((sa.column('client_id'), '='), (sa.column('trainer_id'), '='), (sa.column('day_of_week'), '='), (sa.text('int4range(start_minute, end_minute)'), '&&'), using='gist', name='ex_availability_windows_no_overlap').ddl_if(dialect='postgresql'),
    sa.CheckConstraint('day_of_week BETWEEN 0 AND 6', name=op.f('ck_availability_windows_day_known')),
    sa.CheckConstraint('start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute', name=op.f('ck_availability_windows_within_day')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_windows'))
    )
    op.create_index('ix_availability_windows_trainer', 'availability_windows', ['client_id', 'trainer_id', 'day_of_week'], unique=False)
    op.create_table('availability_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=True),
    sa.Column('end_minute', sa.Integer(), nullable=True),
    postgresql.ExcludeConstraint((sa.column('client_id'), '='), (sa.column('trainer_id'), '='), (sa.column('date'), '='), (sa.text('int4range(coalesce(start_minute, 0), coalesce(end_minute, 1440))'), '&&'), using='gist', name='ex_availability_overrides_no_overlap').ddl_if(dialect='postgresql'),
    sa.CheckConstraint('(available AND start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute) OR (NOT available AND start_minute IS NULL AND end_minute IS NULL)', name=op.f('ck_availability_overrides_hours_or_day_off')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_overrides'))
    )
    op.create_index('ix_availability_overrides_trainer', 'availability_overrides', ['client_id', 'trainer_id', 'date'], unique=False)
    op.create_table('time_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    postgresql.ExcludeConstraint((sa.column('client_id'), '='), (sa.column('trainer_id'), '='), (sa.text("tstzrange(starts_at, ends_at, '[)')"), '&&'), using='gist', name='ex_time_slots_no_overlap').ddl_if(dialect='postgresql'),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_time_slots_ends_after_start')),
    sa.CheckConstraint('id < 1073741824', name=op.f('ck_time_slots_id_below_generated')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_slots'))
    )
    op.create_index('ix_time_slots_trainer_time', 'time_slots', ['client_id', 'trainer_id', 'starts_at'], unique=False)
    op.create_table('booking_policies',
    sa.Column('trainer_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('min_notice_hours', sa.Integer(), nullable=False),
    sa.Column('max_advance_days', sa.Integer(), nullable=False),
    sa.Column('slot_step_minutes', sa.Integer(), nullable=False),
    sa.Column('cancellation_cutoff_hours', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('trainer_id', name=op.f('pk_booking_policies'))
    )


def downgrade() -> None:
    for table in (*NEW, *REBUILT):
        op.drop_table(table)
    op.create_table('group_classes',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_group_classes_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_group_classes_ends_after_start')),
    sa.CheckConstraint('participants >= 0 AND participants <= capacity', name=op.f('ck_group_classes_participants_within_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_classes'))
    )
    op.create_index('ix_group_classes_trainer_time', 'group_classes', ['client_id', 'trainer_id', 'starts_at'], unique=False)
    op.create_table('programme_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('payment_amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'paused', 'cancelled', 'completed')", name=op.f('ck_programme_subscriptions_status_known')),
    sa.CheckConstraint('payment_amount >= 0', name=op.f('ck_programme_subscriptions_payment_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_subscriptions'))
    )
    op.create_index('ix_programme_subscriptions_user', 'programme_subscriptions', ['client_id', 'user_id'], unique=False)
    op.create_index('uq_programme_subscriptions_live', 'programme_subscriptions', ['programme_id', 'user_id'], unique=True, postgresql_where=sa.text("status IN ('active', 'paused')"), sqlite_where=sa.text("status IN ('active', 'paused')"))
    op.create_table('session_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('meeting_link', sa.String(length=500), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    # No two live bookings of one trainer overlap; PostgreSQL only (SQLite checks inside BEGIN IMMEDIATE).
    postgresql.ExcludeConstraint((sa.column('client_id'), '='), (sa.column('trainer_id'), '='), (sa.text("tstzrange(starts_at, ends_at, '[)')"), '&&'), where=sa.text("status <> 'cancelled'"), using='gist', name='ex_session_bookings_no_overlap').ddl_if(dialect='postgresql'),
    sa.CheckConstraint("status IN ('confirmed', 'completed', 'cancelled', 'no_show')", name=op.f('ck_session_bookings_status_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_session_bookings_ends_after_start')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_session_bookings_price_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_bookings'))
    )
    op.create_index('ix_session_bookings_trainer_time', 'session_bookings', ['client_id', 'trainer_id', 'starts_at'], unique=False)
    op.create_index('ix_session_bookings_user_time', 'session_bookings', ['client_id', 'user_id', 'starts_at'], unique=False)
    op.create_table('class_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('payment_amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.CHAR(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('joined', 'cancelled')", name=op.f('ck_class_participations_status_known')),
    sa.CheckConstraint('payment_amount >= 0', name=op.f('ck_class_participations_payment_not_negative')),
    sa.ForeignKeyConstraint(['class_id'], ['group_classes.id'], name=op.f('fk_class_participations_class_id_group_classes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_participations'))
    )
    op.create_index('ix_class_participations_user', 'class_participations', ['client_id', 'user_id'], unique=False)
    op.create_index('uq_class_participations_joined', 'class_participations', ['class_id', 'user_id'], unique=True, postgresql_where=sa.text("status = 'joined'"), sqlite_where=sa.text("status = 'joined'"))
