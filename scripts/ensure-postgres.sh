#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for user postgres,
# and that the test database exists. Safe to run any number of times, as root or not.
#
#   1. already answering?                  -> nothing to start
#   2. a system cluster (Debian layout)?   -> pg_ctlcluster ... start
#   3. otherwise                            -> a throwaway cluster in ./.pgdata (initdb + pg_ctl)
#   4. wait until it answers, then create the database if missing.
#
# Overrides (for CI or a second instance): BACKWALK_PG_PORT (5432), BACKWALK_PG_DB
# (backwalk_test), BACKWALK_PG_DATA (<repo>/.pgdata).
set -euo pipefail

HOST=127.0.0.1
PORT="${BACKWALK_PG_PORT:-5432}"
DB_NAME="${BACKWALK_PG_DB:-backwalk_test}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${BACKWALK_PG_DATA:-$REPO_ROOT/.pgdata}"
READY_TIMEOUT_SECONDS=60

log() { echo "ensure-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

is_ready() { pg_isready -q -h "$HOST" -p "$PORT"; }

wait_until_ready() {
    local seconds="$1"
    for _ in $(seq "$seconds"); do
        is_ready && return 0
        sleep 1
    done
    is_ready
}

# The first Debian cluster (as in `ls /etc/postgresql | head -1`), if it listens on our port.
system_cluster_version() {
    [ -d /etc/postgresql ] || return 1
    local version
    version="$(ls /etc/postgresql | head -1)"
    [ -n "$version" ] && [ -f "/etc/postgresql/$version/main/postgresql.conf" ] || return 1
    local port
    port="$(sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
        "/etc/postgresql/$version/main/postgresql.conf" | head -1)"
    [ "${port:-5432}" = "$PORT" ] || return 1
    echo "$version"
}

start_system_cluster() {
    local version
    version="$(system_cluster_version)" || return 1
    command -v pg_ctlcluster >/dev/null || return 1
    log "starting system cluster $version/main"
    # Exit status 2 means "already running", which is fine: we only care that it answers.
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || [ $? -eq 2 ] || return 1
    wait_until_ready 30
}

pg_bin_dir() {
    local initdb
    initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)"
    [ -n "$initdb" ] || die "no initdb under /usr/lib/postgresql/*/bin: install postgresql"
    dirname "$initdb"
}

# initdb and postgres refuse to run as root, so root hands the cluster to another user.
server_user() {
    if [ "$(id -u)" -ne 0 ]; then
        id -un
    elif id postgres >/dev/null 2>&1; then
        echo postgres
    else
        echo nobody
    fi
}

as_server_user() {
    local user="$1"
    shift
    if [ "$(id -un)" = "$user" ]; then
        "$@"
    else
        runuser -u "$user" -- "$@"
    fi
}

# The data folder must be reachable by the server user; a checkout under /root is not.
usable_data_dir() {
    local user="$1" dir="$DATA_DIR"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$user" "$dir"
    chmod 700 "$dir"
    if ! as_server_user "$user" test -w "$dir"; then
        dir="${TMPDIR:-/tmp}/backwalk-pgdata-$PORT"
        log "$DATA_DIR is not reachable by $user; using $dir instead"
        mkdir -p "$dir"
        [ "$(id -u)" -ne 0 ] || chown "$user" "$dir"
        chmod 700 "$dir"
    fi
    echo "$dir"
}

start_throwaway_cluster() {
    local bin user dir
    bin="$(pg_bin_dir)"
    user="$(server_user)"
    dir="$(usable_data_dir "$user")"
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "creating a throwaway cluster in $dir (owner $user)"
        as_server_user "$user" "$bin/initdb" -D "$dir" -U postgres --auth=trust \
            --encoding=UTF8 >/dev/null
    fi
    log "starting the throwaway cluster in $dir on port $PORT"
    as_server_user "$user" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
        -o "-p $PORT -c listen_addresses=$HOST -c unix_socket_directories=/tmp" >/dev/null \
        || die "the throwaway cluster did not start; see $dir/server.log"
}

ensure_server() {
    is_ready && return 0
    start_system_cluster || start_throwaway_cluster
    wait_until_ready "$READY_TIMEOUT_SECONDS" \
        || die "PostgreSQL on $HOST:$PORT is still not ready after ${READY_TIMEOUT_SECONDS}s"
}

database_exists() {
    [ "$(psql -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" = "1" ]
}

ensure_database() {
    database_exists && return 0
    log "creating database $DB_NAME"
    # Another run may create it at the same moment; only fail if it is still missing.
    psql -h "$HOST" -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$DB_NAME\"" \
        >/dev/null 2>&1 || database_exists || die "could not create database $DB_NAME"
}

ensure_server
ensure_database
log "ready: postgresql://postgres@$HOST:$PORT/$DB_NAME"
