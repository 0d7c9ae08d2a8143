#!/usr/bin/env bash
# Make sure a Redis server answers PONG on 127.0.0.1:6379. Safe to run any number of times,
# as root or not. Hosted mode can keep its sessions and rate-limit counters in Redis
# (BACKWALK_REDIS_URL); without Redis they live in PostgreSQL.
#
#   1. already answering PONG?        -> nothing to do
#   2. redis-server missing?          -> as root with apt-get: apt-get install -y redis-server;
#                                        otherwise stop and say how to install it
#   3. start a server (daemonized, no persistence: it holds nothing that must survive)
#      with its files in /var/lib/redis and /var/log/redis, or in $TMPDIR when those are
#      not writable
#   4. wait up to 30 s for PONG.
#
# Overrides: BACKWALK_REDIS_PORT (6379).
set -euo pipefail

HOST=127.0.0.1
PORT="${BACKWALK_REDIS_PORT:-6379}"
READY_TIMEOUT_SECONDS=30

log() { echo "ensure-redis: $*" >&2; }
die() { log "$*"; exit 1; }

# What the server says to PING: PONG, an error such as LOADING or NOAUTH, or nothing at all
# when no server listens.
reply() { redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null || true; }

is_ready() { [ "$(reply)" = "PONG" ]; }

wait_until_ready() {
    local seconds="$1"
    for _ in $(seq "$seconds"); do
        is_ready && return 0
        sleep 1
    done
    is_ready
}

ensure_installed() {
    command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        log "redis-server is not installed; installing it with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        # The package lists may be empty (fresh containers): update them once if needed.
        apt-get install -y -qq redis-server >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } \
            || die "apt-get could not install redis-server"
    fi
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        die "redis-server is not installed: install it (e.g. sudo apt-get install redis-server) and run this again"
    fi
}

# Is the log file writable (or can it be created) by us?
log_file_usable() {
    local file="$1"
    if [ -e "$file" ]; then
        [ -w "$file" ]
    else
        [ -w "$(dirname "$file")" ]
    fi
}

start_server() {
    local dir=/var/lib/redis logfile=/var/log/redis/ci.log
    if [ ! -w "$dir" ] || ! log_file_usable "$logfile"; then
        dir="${TMPDIR:-/tmp}/backwalk-redis-$PORT"
        logfile="$dir/redis.log"
        log "/var/lib/redis or /var/log/redis is not writable; using $dir instead"
        mkdir -p "$dir"
        chmod 700 "$dir"
    fi
    log "starting redis-server on $HOST:$PORT (log: $logfile)"
    # "-::1": also listen on IPv6 loopback if the machine has it, without failing if not.
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$PORT" \
        --save "" --appendonly no --dir "$dir" --logfile "$logfile" \
        || die "redis-server did not start; see $logfile"
    wait_until_ready "$READY_TIMEOUT_SECONDS" \
        || die "Redis on $HOST:$PORT does not answer PONG after ${READY_TIMEOUT_SECONDS}s; see $logfile"
}

ensure_server() {
    ensure_installed
    is_ready && return 0
    local answer
    answer="$(reply)"
    if [ -n "$answer" ]; then
        # Something answers, but not PONG yet (e.g. LOADING): give it time, do not start a second one.
        log "a server on $HOST:$PORT answered \"$answer\"; waiting for PONG"
        wait_until_ready "$READY_TIMEOUT_SECONDS" \
            || die "the server on $HOST:$PORT still answers \"$(reply)\" instead of PONG after ${READY_TIMEOUT_SECONDS}s"
        return 0
    fi
    start_server
}

ensure_server
log "ready: redis://$HOST:$PORT/0"
