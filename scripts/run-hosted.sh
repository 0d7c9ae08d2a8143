#!/usr/bin/env bash
# Run backwalk in hosted mode on this computer, as a real deployment would (many accounts, one
# PostgreSQL database, sessions and rate limits in Redis), for trying it out and for development.
# `make run-hosted` runs this after installing backwalk into .venv.
#
#   1. PostgreSQL and Redis answering (scripts/ensure-postgres.sh, scripts/ensure-redis.sh);
#   2. the database backwalk_hosted made and migrated (scripts/hosted-db.sh);
#   3. a secret kept in .venv/hosted-secret (made once, mode 600, never committed);
#   4. `backwalk serve --hosted --workers 2` on 127.0.0.1:$PORT (8000), in the foreground.
#
# Extra arguments are passed on to `backwalk serve`. See docs/hosting.md for a real deployment.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BACKWALK="$REPO_ROOT/.venv/bin/backwalk"
SECRET_FILE="$REPO_ROOT/.venv/hosted-secret"
PORT="${PORT:-8000}"
REDIS_PORT="${BACKWALK_REDIS_PORT:-6379}"

log() { echo "run-hosted: $*" >&2; }
die() { log "$*"; exit 1; }

[ -x "$BACKWALK" ] || die "$BACKWALK not found: run \`make run-hosted\` (it installs backwalk first)"

# The secret signs CSRF tokens; every worker must have the same one, and it must survive
# restarts. Written to a temporary file first, so two runs at once never see half a secret.
ensure_secret() {
    if [ ! -s "$SECRET_FILE" ]; then
        log "making a new secret in $SECRET_FILE"
        local tmp
        tmp="$(mktemp "$SECRET_FILE.XXXXXX")"
        chmod 600 "$tmp"
        python3 -c 'import secrets; print(secrets.token_urlsafe(48))' >"$tmp"
        mv -n "$tmp" "$SECRET_FILE" || true
        rm -f "$tmp"
    fi
    chmod 600 "$SECRET_FILE"
}

bash "$REPO_ROOT/scripts/ensure-postgres.sh"
bash "$REPO_ROOT/scripts/ensure-redis.sh"
DB_URL="$(bash "$REPO_ROOT/scripts/hosted-db.sh" backwalk_hosted | tail -1)"
[ -n "$DB_URL" ] || die "scripts/hosted-db.sh printed no database URL"
ensure_secret

BACKWALK_DB="$DB_URL"
BACKWALK_SECRET="$(cat "$SECRET_FILE")"
BACKWALK_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export BACKWALK_DB BACKWALK_SECRET BACKWALK_REDIS_URL

echo "backwalk (hosted mode): open http://127.0.0.1:$PORT/ ; clinician accounts come from" \
    "\`BACKWALK_ADMIN_DB=${DB_URL/backwalk_app@/backwalk_owner@} .venv/bin/backwalk admin create-clinician NAME\`" \
    "(as the tables' owner)"
exec "$BACKWALK" serve --hosted --workers 2 --port "$PORT" "$@"
