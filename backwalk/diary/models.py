"""The diary's tables. Alembic migrations in ``migrations/versions`` must match these exactly."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Fixed constraint names so that PostgreSQL and SQLite agree and migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone support, so values are stored there as naive UTC and given their
    tzinfo back on the way out; PostgreSQL stores ``timestamptz`` and gets the same treatment.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous; guessing would silently shift the diary by hours.
            raise ValueError(f"naive datetime {value.isoformat()} has no timezone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Table option for every table: SQLite then never reuses an id (PostgreSQL sequences never do),
# so after forget() a stale offline queue holding an old walk id cannot write into a new walk.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


def new_session_key() -> str:
    """A person's session key: 128 random bits (see PersonRow.session_key)."""
    return secrets.token_hex(16)


# The person of a single-user (local) diary; made by migration 0005. Hosted mode adds more.
LOCAL_PERSON_ID = 1
PERSON_KINDS = ("local", "device", "person", "clinician")


def owner_column() -> Mapped[int]:
    """Whose row this is. No default: a write that forgot its owner fails instead of landing in
    somebody's diary. Deleting the person deletes the row (the database does it)."""
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


class PersonRow(Base):
    """Someone whose diary this database keeps: the one local person, an anonymous device (a
    check done without an account), a person with an account, or a clinician."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("kind IN ('local', 'device', 'person', 'clinician')", name="kind_is_known"),
        # An account has both a name and a password hash; a device or the local person neither.
        CheckConstraint(
            "(kind IN ('person', 'clinician')) = "
            "(username IS NOT NULL AND password_hash IS NOT NULL)",
            name="accounts_have_credentials",
        ),
        CheckConstraint("length(username) BETWEEN 1 AND 64", name="username_length"),
        Index("uq_people_username", "username", unique=True),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    username: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # Random, and new whenever every session must end (the person is made, claimed, or signs
    # out everywhere): a session is good only while its person has the key it was made with.
    session_key: Mapped[str] = mapped_column(String(32), default=new_session_key)


class SessionRow(Base):
    """A signed-in browser (or an anonymous device). Only a hash of the token is kept, so a
    copy of the database cannot be used to sign in."""

    __tablename__ = "sessions"
    __table_args__ = (Index(None, "expires_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    person_key: Mapped[str] = mapped_column(String(32))  # the person's session_key then
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ShareRow(Base):
    """A person's permission for one clinician to read their diary. The code is a bearer secret
    until it is used, so only its hash is kept; ``hint`` is its last characters, for the list."""

    __tablename__ = "shares"
    __table_args__ = (
        Index("uq_shares_code_hash", "code_hash", unique=True),
        CheckConstraint(
            "(clinician_id IS NULL) = (claimed_at IS NULL)", name="claimed_by_a_clinician"
        ),
        CheckConstraint("clinician_id IS NULL OR clinician_id <> person_id", name="not_self"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    hint: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    claimed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class RateLimitRow(Base):
    """A fixed-window counter for the `limits` library when there is no Redis: shared by every
    worker because it lives in the database."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime]


class CheckRow(Base):
    """A pre-walk assessment: the answers, the full assessment and a few columns to query by."""

    __tablename__ = "checks"
    __table_args__ = (
        Index(None, "at"),
        Index(None, "owner_id", "at"),  # one person's latest checks, straight from the index
        # A check sent again (a phone's offline outbox) is stored once, whoever races whom.
        Index("uq_checks_client_id", "owner_id", "client_id", unique=True),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]
    answers: Mapped[dict[str, Any]]
    assessment: Mapped[dict[str, Any]]
    disposition: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str | None] = mapped_column(String(32))
    pain_score: Mapped[int | None] = mapped_column(Integer)
    red_flags: Mapped[list[str]]
    text: Mapped[str | None] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(128))


class WalkRow(Base):
    """A guided walk; ``last_seen_at`` is the latest sign of life, used to spot killed walks."""

    __tablename__ = "walks"
    __table_args__ = (
        Index(None, "status"),
        Index(None, "started_at"),
        Index(None, "owner_id", "started_at"),
        # One walk in progress per person: a second start fails here, whoever races whom.
        Index(
            "uq_walks_one_in_progress",
            "owner_id",
            "status",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    check_id: Mapped[int | None] = mapped_column(
        ForeignKey("checks.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    planned_minutes: Mapped[int] = mapped_column(Integer)
    pain_before: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    stop_reason: Mapped[str | None] = mapped_column(Text)
    elapsed_seconds: Mapped[float] = mapped_column(Float)
    last_seen_at: Mapped[datetime]

    checkins: Mapped[list[CheckinRow]] = relationship(
        back_populates="walk",
        order_by="(CheckinRow.at, CheckinRow.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CheckinRow(Base):
    """An in-walk check-in; ``client_id`` makes a resent check-in a no-op."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("walk_id", "client_id"),
        Index(None, "owner_id", "at"),  # the warning signs of the last day
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    elapsed_seconds: Mapped[float] = mapped_column(Float)
    current_pain: Mapped[int] = mapped_column(Integer)
    sharp_or_shooting: Mapped[bool] = mapped_column(Boolean)
    red_flags: Mapped[list[str]]
    action: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(String(128))

    walk: Mapped[WalkRow] = relationship(back_populates="checkins")


class OutcomeRow(Base):
    """A weekly outcome measure: the activities the back makes hard, each rated 0 to 10 (the
    Patient-Specific Functional Scale method), and a global rating of change (-3 to +3)."""

    __tablename__ = "outcome_measures"
    __table_args__ = (
        Index(None, "at"),
        # The first measure of a set of activities (progress's baseline), in one lookup.
        Index(None, "owner_id", "activities_set", "at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]
    check_id: Mapped[int | None] = mapped_column(
        ForeignKey("checks.id", ondelete="SET NULL"), index=True
    )
    # [{"activity": "putting on socks", "score": 4}, ...], at most a few; may be empty
    activities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Which activities, whatever their order and case (measures.activities_set); None: none.
    activities_set: Mapped[str | None] = mapped_column(String(64))
    global_change: Mapped[int | None] = mapped_column(Integer)


class ClinicianVisitRow(Base):
    """The person's word that a clinician has seen them ("I have been seen"): a warning sign
    keeps its advice on every screen until one of these comes after it."""

    __tablename__ = "clinician_visits"
    __table_args__ = (Index(None, "owner_id", "at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]


# The most minutes one logged walk may hold (ten hours): more is a typing slip, not a walk.
MAX_LOGGED_MINUTES = 600
MAX_MEDICINE_TEXT = 100


class WalkLogRow(Base):
    """A walk the person logged by hand (one backwalk did not guide): the day and the minutes."""

    __tablename__ = "walk_logs"
    __table_args__ = (
        CheckConstraint(f"minutes > 0 AND minutes <= {MAX_LOGGED_MINUTES}", name="minutes_range"),
        Index(None, "owner_id", "walked_on"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]  # when it was logged
    walked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)


class MedicineRow(Base):
    """A medicine taken for the pain, its name and dose as the person wrote them."""

    __tablename__ = "medicines"
    __table_args__ = (
        CheckConstraint(f"length(name) BETWEEN 1 AND {MAX_MEDICINE_TEXT}", name="name_length"),
        CheckConstraint(f"length(dose) <= {MAX_MEDICINE_TEXT}", name="dose_length"),
        Index(None, "owner_id", "taken_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]  # when it was logged
    taken_at: Mapped[datetime]
    name: Mapped[str] = mapped_column(String(MAX_MEDICINE_TEXT))
    dose: Mapped[str] = mapped_column(String(MAX_MEDICINE_TEXT))


class RecoveryRow(Base):
    """The person's word that their back is back to normal: keeping well starts here."""

    __tablename__ = "recoveries"
    __table_args__ = (Index(None, "owner_id", "at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]


class RecurrenceRow(Base):
    """An answer to the monthly question "since <since>, has back pain stopped you doing your
    usual activities for at least a day?". Yes opens a new episode. Each question is answered
    once: the unique index on its `since` decides, however answers race."""

    __tablename__ = "recurrence_checks"
    __table_args__ = (
        Index("uq_recurrence_checks_owner_id_since", "owner_id", "since", unique=True),
        Index(None, "owner_id", "at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]
    since: Mapped[datetime]
    limited_activity: Mapped[bool] = mapped_column(Boolean)


class ProgrammeRow(Base):
    """The walking programme as the person set it up or last changed it: days and minutes."""

    __tablename__ = "programme_settings"
    __table_args__ = (
        CheckConstraint("minutes_per_walk > 0 AND minutes_per_walk <= 60", name="minutes_range"),
        CheckConstraint("length(days) BETWEEN 3 AND 27", name="days_length"),
        Index(None, "owner_id", "at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = owner_column()
    at: Mapped[datetime]
    days: Mapped[str] = mapped_column(String(27))  # "mon,wed,fri"
    minutes_per_walk: Mapped[int] = mapped_column(Integer)


# The tables that hold a person's health data: scoped by owner in every query, and guarded by
# row-level security on PostgreSQL.
OWNED_MODELS: tuple[type[Base], ...] = (
    CheckRow,
    WalkRow,
    CheckinRow,
    OutcomeRow,
    ClinicianVisitRow,
    WalkLogRow,
    MedicineRow,
    RecoveryRow,
    RecurrenceRow,
    ProgrammeRow,
)
