#!/usr/bin/env bash
# Local PostgreSQL for OEE development and tests.
#
#   scripts/pg.sh start    start (or reuse) the server; prints the Npgsql connection string
#   scripts/pg.sh stop     stop the server (no-op when it is not running)
#   scripts/pg.sh status   report whether it runs; exit 0 when it accepts connections, 3 otherwise
#   scripts/pg.sh url      print the Npgsql connection string
#   scripts/pg.sh psql ... run psql as role oee on database oee (extra args are passed on)
#   scripts/pg.sh destroy  stop the server and delete its data folder
#
# Environment:
#   OEE_PG_PORT     TCP port on 127.0.0.1 (default 55432); each port gets its own data folder
#   OEE_PG_DIR      data folder (default: /var/tmp/oee-pg-<port> as root,
#                   ${XDG_RUNTIME_DIR:-/tmp}/oee-pg-<port> otherwise)
#   OEE_PG_TIMEOUT  seconds to wait for the server to accept connections (default 60)
#
# This is a throwaway dev/test server: it listens on 127.0.0.1 only and trusts every local
# connection. Database `oee`, role `oee` (password `oee`, may create databases: tests make their own) are created on every start if missing.
set -euo pipefail

PORT="${OEE_PG_PORT:-55432}"
TIMEOUT="${OEE_PG_TIMEOUT:-60}"
DB_NAME=oee
DB_USER=oee
DB_PASSWORD=oee
SUPERUSER=postgres
HOST=127.0.0.1

if ! [[ "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    echo "pg.sh: OEE_PG_PORT must be a TCP port number, got '$PORT'" >&2
    exit 2
fi

IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

if [[ -n "${OEE_PG_DIR:-}" ]]; then
    BASE_DIR="$OEE_PG_DIR"
elif ((IS_ROOT)); then
    # initdb refuses to run as root, so the server runs as `postgres`; the folder must be
    # reachable by that user (a clone under /root or /work may not be).
    BASE_DIR="/var/tmp/oee-pg-$PORT"
else
    BASE_DIR="${XDG_RUNTIME_DIR:-/tmp}/oee-pg-$PORT"
fi
PGDATA_DIR="$BASE_DIR/data"
SOCKET_DIR="$BASE_DIR/run"
LOG_FILE="$BASE_DIR/server.log"
RUN_USER="$(id -un)"
((IS_ROOT)) && RUN_USER=postgres

URL="Host=$HOST;Port=$PORT;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASSWORD"

say() { echo "pg.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- binaries
BIN_DIR=""
find_bindir() {
    local d
    for d in /usr/lib/postgresql/15/bin \
             "$(pg_config --bindir 2>/dev/null || true)" \
             $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            BIN_DIR="$d"
            return 0
        fi
    done
    return 1
}

ensure_binaries() {
    find_bindir && return 0
    if ((IS_ROOT)) && command -v apt-get >/dev/null; then
        say "PostgreSQL server binaries not found; installing with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2 && apt-get install -y postgresql >&2 || die "apt-get install postgresql failed"
        find_bindir && return 0
    fi
    die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; install PostgreSQL 15 (apt-get install postgresql)"
}

ensure_run_user() {
    ((IS_ROOT)) || return 0
    if ! id "$RUN_USER" >/dev/null 2>&1; then
        say "creating system user $RUN_USER"
        useradd --system --home-dir /var/lib/postgresql --create-home --shell /bin/bash "$RUN_USER" \
            || die "could not create user $RUN_USER"
    fi
}

# Run a command as the server's user, from a directory that user can enter.
as_owner() {
    if ((IS_ROOT)); then
        if command -v runuser >/dev/null; then
            (cd / && runuser -u "$RUN_USER" -- "$@")
        else
            local q
            q="$(printf '%q ' "$@")"
            (cd / && su -s /bin/sh "$RUN_USER" -c "$q")
        fi
    else
        (cd / && "$@")
    fi
}

# ---------------------------------------------------------------- process helpers
# pid from postmaster.pid, or empty
pidfile_pid() {
    [[ -f "$PGDATA_DIR/postmaster.pid" ]] || return 0
    head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9'
}

# Is $1 a live process whose working directory is our data folder (postgres chdirs there)?
is_our_process() {
    local pid="$1" cwd
    [[ -n "$pid" && -d "/proc/$pid" ]] || return 1
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    [[ "$cwd" == "$(readlink -f "$PGDATA_DIR")" ]]
}

# Live processes of a server on our data folder (postmaster and any orphaned children).
our_processes() {
    local p pid target
    [[ -d "$PGDATA_DIR" ]] || return 0
    target="$(readlink -f "$PGDATA_DIR")"
    for p in /proc/[0-9]*; do
        pid="${p#/proc/}"
        [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$target" ]] || continue
        [[ "$(cat "$p/comm" 2>/dev/null || true)" == postgres* ]] || continue
        echo "$pid"
    done
}

postmaster_alive() { is_our_process "$(pidfile_pid)"; }

accepting() { "$BIN_DIR/pg_isready" -q -h "$HOST" -p "$PORT" -U "$SUPERUSER" -d postgres -t 2 >/dev/null 2>&1; }

# A postmaster that died (kill -9, OOM, reboot) leaves postmaster.pid behind and possibly
# children that still hold its shared memory. Clear both so a new postmaster can start.
clear_leftovers() {
    local pids alive pid i
    pids="$(our_processes)"
    if [[ -n "$pids" ]]; then
        say "stopping orphaned server processes of a dead postmaster: $(echo $pids)"
        # SIGQUIT makes a backend exit at once; SIGCONT in case one was stopped.
        # shellcheck disable=SC2086
        kill -QUIT $pids 2>/dev/null || true
        # shellcheck disable=SC2086
        kill -CONT $pids 2>/dev/null || true
        for i in $(seq 1 30); do
            alive=""
            for pid in $pids; do is_our_process "$pid" && alive="$alive $pid"; done
            [[ -z "$alive" ]] && break
            sleep 0.1
        done
        if [[ -n "$alive" ]]; then
            # shellcheck disable=SC2086
            kill -KILL $alive 2>/dev/null || true
            sleep 0.3
        fi
    fi
    if [[ -f "$PGDATA_DIR/postmaster.pid" ]]; then
        say "removing stale $PGDATA_DIR/postmaster.pid"
        rm -f "$PGDATA_DIR/postmaster.pid"
    fi
    rm -f "$SOCKET_DIR/.s.PGSQL.$PORT" "$SOCKET_DIR/.s.PGSQL.$PORT.lock"
}

log_tail() {
    if [[ -f "$LOG_FILE" ]]; then
        say "last lines of $LOG_FILE:"
        tail -n 40 "$LOG_FILE" >&2 || true
    fi
}

# ---------------------------------------------------------------- setup
init_cluster() {
    if [[ -f "$PGDATA_DIR/PG_VERSION" ]]; then
        local have want
        have="$(cat "$PGDATA_DIR/PG_VERSION")"
        want="$("$BIN_DIR/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
        [[ "$have" == "$want" ]] || die "$PGDATA_DIR holds a PostgreSQL $have cluster but the binaries are $want; run '$0 destroy' first"
        return 0
    fi
    say "initialising a new cluster in $PGDATA_DIR"
    mkdir -p "$BASE_DIR"
    ((IS_ROOT)) && chown "$RUN_USER": "$BASE_DIR"
    chmod 700 "$BASE_DIR"
    # A half-made data folder from an interrupted initdb is useless: start over.
    as_owner rm -rf "$PGDATA_DIR"
    if ! as_owner "$BIN_DIR/initdb" -D "$PGDATA_DIR" -U "$SUPERUSER" -E UTF8 --locale=C \
            --auth-local=trust --auth-host=trust >"$BASE_DIR/initdb.log" 2>&1; then
        cat "$BASE_DIR/initdb.log" >&2
        die "initdb failed"
    fi
    echo "include_if_exists = 'oee.conf'" | as_owner tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

write_config() {
    as_owner mkdir -p "$SOCKET_DIR"
    as_owner tee "$PGDATA_DIR/oee.conf" >/dev/null <<EOF
# written by scripts/pg.sh on every start
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$SOCKET_DIR'
timezone = 'UTC'
log_timezone = 'UTC'
max_connections = 200
shared_buffers = 128MB
EOF
}

superuser_psql() {
    as_owner "$BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U "$SUPERUSER" -d postgres "$@"
}

ensure_database() {
    superuser_psql >/dev/null <<EOF
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
EOF
}

wait_ready() {
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        accepting && return 0
        # Give up early when the postmaster died during start-up.
        if [[ -n "${1:-}" ]] && ! is_our_process "$1" && ! postmaster_alive; then
            return 1
        fi
        sleep 0.2
    done
    return 1
}

# ---------------------------------------------------------------- commands
cmd_start() {
    ensure_binaries
    ensure_run_user

    if postmaster_alive; then
        if wait_ready "$(pidfile_pid)"; then
            ensure_database || die "server runs but creating role/database $DB_NAME failed"
            echo "$URL"
            return 0
        fi
        log_tail
        die "a server on $PGDATA_DIR (pid $(pidfile_pid)) is running but does not accept connections on $HOST:$PORT"
    fi

    if accepting; then
        # Someone else's server owns the port. Reuse it only when our database answers.
        if PGPASSWORD="$DB_PASSWORD" "$BIN_DIR/psql" -X -q -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB_NAME" \
                -c 'select 1' >/dev/null 2>&1; then
            say "reusing the server already listening on $HOST:$PORT (not managed from $PGDATA_DIR)"
            echo "$URL"
            return 0
        fi
        die "port $PORT on $HOST is taken by a server that is not ours; set OEE_PG_PORT to another port"
    fi

    init_cluster
    clear_leftovers
    write_config

    say "starting PostgreSQL ($BIN_DIR) on $HOST:$PORT, data $PGDATA_DIR, log $LOG_FILE"
    as_owner touch "$LOG_FILE" 2>/dev/null || true
    if ! as_owner "$BIN_DIR/pg_ctl" -D "$PGDATA_DIR" -l "$LOG_FILE" -s -W start >/dev/null 2>&1; then
        log_tail
        die "pg_ctl start failed"
    fi
    # pg_ctl -W returns once the postmaster is forked; wait for it to accept connections.
    local i
    for i in $(seq 1 50); do [[ -n "$(pidfile_pid)" ]] && break; sleep 0.1; done
    if ! wait_ready "$(pidfile_pid)"; then
        log_tail
        postmaster_alive || die "PostgreSQL exited during start-up (see the log above)"
        die "PostgreSQL did not accept connections on $HOST:$PORT within ${TIMEOUT}s"
    fi
    ensure_database || { log_tail; die "creating role/database $DB_NAME failed"; }
    echo "$URL"
}

cmd_stop() {
    find_bindir || { say "no PostgreSQL binaries; nothing to stop"; return 0; }
    if postmaster_alive; then
        if ! as_owner "$BIN_DIR/pg_ctl" -D "$PGDATA_DIR" -s -m fast -w -t "$TIMEOUT" stop; then
            say "fast shutdown failed; trying immediate shutdown"
            as_owner "$BIN_DIR/pg_ctl" -D "$PGDATA_DIR" -s -m immediate -w -t "$TIMEOUT" stop || true
        fi
    else
        say "not running"
    fi
    # Orphans of a killed postmaster, stale pid file.
    if [[ -d "$PGDATA_DIR" ]] && ! postmaster_alive; then
        [[ -n "$(our_processes)" || -f "$PGDATA_DIR/postmaster.pid" ]] && clear_leftovers
    fi
    return 0
}

cmd_status() {
    find_bindir || { echo "not installed"; return 3; }
    if postmaster_alive && accepting; then
        echo "running: pid $(pidfile_pid), $HOST:$PORT, data $PGDATA_DIR"
        echo "$URL"
        return 0
    fi
    if postmaster_alive; then
        echo "starting or stopping: pid $(pidfile_pid), not accepting connections on $HOST:$PORT"
        return 3
    fi
    if accepting; then
        echo "port $HOST:$PORT is served by a server not managed from $PGDATA_DIR"
        return 3
    fi
    echo "not running (data $PGDATA_DIR)"
    return 3
}

cmd_psql() {
    local psql_bin=psql
    find_bindir && psql_bin="$BIN_DIR/psql"
    PGPASSWORD="$DB_PASSWORD" exec "$psql_bin" -X -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB_NAME" "$@"
}

cmd_destroy() {
    cmd_stop
    if [[ -d "$BASE_DIR" ]]; then
        say "removing $BASE_DIR"
        rm -rf "$BASE_DIR"
    fi
}

case "${1:-}" in
    start)   cmd_start ;;
    stop)    cmd_stop ;;
    status)  cmd_status ;;
    url)     echo "$URL" ;;
    psql)    shift; cmd_psql "$@" ;;
    destroy) cmd_destroy ;;
    *)       usage ;;
esac
