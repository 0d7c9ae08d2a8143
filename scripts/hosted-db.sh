#!/usr/bin/env bash
# Make a hosted-mode database on the local PostgreSQL server and migrate it. Safe to run any
# number of times (and by two runs at once).
#
#   scripts/hosted-db.sh [NAME] [APP_ROLE]      (defaults: backwalk_hosted, backwalk_app)
#
#   1. the owner role backwalk_owner and the app role (LOGIN, NOSUPERUSER), created if missing;
#   2. database NAME owned by backwalk_owner, created if missing;
#   3. `backwalk admin migrate --app-role APP_ROLE` as backwalk_owner: the tables, and the app
#      role's grants (the app must not run as the tables' owner or as a superuser);
#   4. the URL the app connects with, printed as the only line on stdout:
#      postgresql+psycopg://APP_ROLE@127.0.0.1:5432/NAME
#
# The superuser steps use `psql -h 127.0.0.1 -U postgres` (trust auth, as scripts/ensure-postgres.sh
# sets up). Override the port with BACKWALK_PG_PORT (5432).
set -euo pipefail

HOST=127.0.0.1
PORT="${BACKWALK_PG_PORT:-5432}"
DB_NAME="${1:-backwalk_hosted}"
APP_ROLE="${2:-backwalk_app}"
OWNER_ROLE=backwalk_owner
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BACKWALK="$REPO_ROOT/.venv/bin/backwalk"

log() { echo "hosted-db: $*" >&2; }
die() { log "$*"; exit 1; }

# Plain lower-case identifiers only: they go into SQL and into a URL unescaped.
for name in "$DB_NAME" "$APP_ROLE"; do
    [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] \
        || die "\"$name\" is not a plain name (lower-case letters, digits and _, not starting with a digit)"
done
[ "$APP_ROLE" != "$OWNER_ROLE" ] || die "the app role must not be $OWNER_ROLE, the tables' owner"
[ "$APP_ROLE" != postgres ] || die "the app role must not be a superuser"

superuser_sql() {
    psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc "$1"
}

role_exists() {
    [ "$(superuser_sql "SELECT 1 FROM pg_roles WHERE rolname = '$1'")" = "1" ]
}

database_owner() {
    superuser_sql "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DB_NAME'"
}

# ensure_role NAME: a role that can log in and is neither a superuser nor exempt from row-level
# security, made if missing (one of that name made by hand is brought into line).
ensure_role() {
    local role="$1"
    if ! role_exists "$role"; then
        log "creating role $role"
        # Another run may create it at the same moment; only fail if it is still missing.
        superuser_sql "CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS" >/dev/null 2>&1 \
            || role_exists "$role" || die "could not create role $role"
    fi
    if [ "$(superuser_sql "SELECT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls
                           FROM pg_roles WHERE rolname = '$role'")" != "t" ]; then
        log "making $role LOGIN NOSUPERUSER NOBYPASSRLS"
        superuser_sql "ALTER ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS" >/dev/null
    fi
}

ensure_database() {
    local owner
    owner="$(database_owner)"
    if [ -z "$owner" ]; then
        log "creating database $DB_NAME (owner $OWNER_ROLE)"
        # CREATE DATABASE cannot run in a transaction block: one statement per psql -c.
        # Another run may create it at the same moment; only fail if it is still missing.
        superuser_sql "CREATE DATABASE \"$DB_NAME\" OWNER $OWNER_ROLE" >/dev/null 2>&1 || true
        owner="$(database_owner)"
        [ -n "$owner" ] || die "could not create database $DB_NAME"
    fi
    [ "$owner" = "$OWNER_ROLE" ] \
        || die "database $DB_NAME already exists and is owned by $owner, not $OWNER_ROLE; pick another name or drop it"
}

migrate() {
    [ -x "$BACKWALK" ] || die "$BACKWALK not found: run \`make\` (or \`make run-hosted\`) first to install backwalk"
    log "migrating $DB_NAME as $OWNER_ROLE (app role $APP_ROLE)"
    # Its output goes to stderr: stdout carries only the URL.
    BACKWALK_ADMIN_DB="postgresql+psycopg://$OWNER_ROLE@$HOST:$PORT/$DB_NAME" \
        "$BACKWALK" admin migrate --app-role "$APP_ROLE" >&2 \
        || die "backwalk admin migrate failed for $DB_NAME"
}

pg_isready -q -h "$HOST" -p "$PORT" \
    || die "PostgreSQL does not answer on $HOST:$PORT: run scripts/ensure-postgres.sh first"
ensure_role "$OWNER_ROLE"
# `backwalk admin migrate` would create the app role itself, but PostgreSQL lets only a
# superuser or a CREATEROLE role make roles, and the owner is neither: make it here.
ensure_role "$APP_ROLE"
ensure_database
migrate
echo "postgresql+psycopg://$APP_ROLE@$HOST:$PORT/$DB_NAME"
