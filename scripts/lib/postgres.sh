# shellcheck shell=bash
#
# scripts/lib/postgres.sh — throwaway PostgreSQL cluster for the test suite.
#
# Source this file (do not execute it). It defines:
#
#   pg_ensure_installed   install the Debian `postgresql` package if no
#                         /usr/lib/postgresql/*/bin/initdb exists (root only)
#   pg_start              initdb + start a private cluster in a fresh
#                         /tmp/styrkort-pg.XXXXXX directory on a free
#                         127.0.0.1 port; create the two roles of
#                         app/dbroles.py: `styrkort_owner` (owns database
#                         `styrkort` and runs migrations; CREATEDB for the
#                         tests' fresh databases, no SUPERUSER) and the
#                         service's login `styrkort` (member of
#                         `styrkort_service`, owns nothing); export
#                         STYRKORT_PG_URL (owner), STYRKORT_PG_SERVICE_URL
#                         (service), PG_DATADIR, PG_PORT (and PG_SOCKDIR,
#                         PG_BINDIR)
#   pg_stop               stop the cluster and delete its directory;
#                         idempotent, safe after a failed pg_start,
#                         always returns 0
#
# Usage from a caller (which runs with `set -euo pipefail`):
#
#   # shellcheck source=scripts/lib/postgres.sh
#   . "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
#   trap pg_stop EXIT            # REQUIRED: the caller installs the trap
#   pg_ensure_installed
#   pg_start
#   ... run tests against "$STYRKORT_PG_URL" ...
#
# The EXIT trap runs on normal exit, on `set -e` failures and on `exit N`.
# pg_start also cleans up after itself when it fails, so a caller that
# handles the error itself (`pg_start || ...`) does not leak a cluster.
#
# PostgreSQL refuses to run as root: when `id -u` is 0 the cluster is owned
# by and run as the `postgres` system user via `runuser`; otherwise it is
# run as the current user (who must be able to run initdb, e.g. with
# /usr/lib/postgresql/*/bin or initdb on PATH, or PG_BINDIR set).
#
# The cluster is unsafe by design (fsync=off, trust auth) — it is a
# disposable test fixture listening on 127.0.0.1 only.

# Internal state (not exported).
_PG_ROOT="${_PG_ROOT:-}"

_pg_log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Print the bin directory of the newest installed PostgreSQL, or fail.
# Honours PG_BINDIR if it points at a directory containing initdb.
_pg_find_bindir() {
    if [ -n "${PG_BINDIR:-}" ] && [ -x "${PG_BINDIR}/initdb" ]; then
        printf '%s\n' "$PG_BINDIR"
        return 0
    fi
    local f best=""
    local -a found=()
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$f" ] && found+=("${f%/initdb}")
    done
    if [ "${#found[@]}" -gt 0 ]; then
        best="$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)"
        printf '%s\n' "$best"
        return 0
    fi
    if f="$(command -v initdb 2>/dev/null)" && [ -n "$f" ]; then
        printf '%s\n' "$(dirname "$f")"
        return 0
    fi
    return 1
}

pg_ensure_installed() {
    local f
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$f" ] && return 0
    done
    if [ "$(id -u)" -ne 0 ]; then
        if _pg_find_bindir >/dev/null; then
            return 0
        fi
        _pg_log "PostgreSQL is not installed and we are not root;" \
            "install the 'postgresql' package or set PG_BINDIR"
        return 1
    fi
    _pg_log "PostgreSQL not found; installing the 'postgresql' package ..."
    local out
    out="$(mktemp /tmp/styrkort-apt.XXXXXX)" || return 1
    if ! apt-get update -qq >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        _pg_log "apt-get update failed"
        return 1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
        >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        _pg_log "apt-get install postgresql failed"
        return 1
    fi
    # apt/dpkg warnings and errors that did not fail the install.
    grep -E '^(E|W): ' "$out" >&2 || true
    rm -f "$out"
    if ! _pg_find_bindir >/dev/null; then
        _pg_log "postgresql installed but no initdb found"
        return 1
    fi
    return 0
}

# Run a command as the cluster owner: `postgres` when we are root, else us.
# Runs from the cluster directory so postgres never trips over an
# unreadable cwd (e.g. /root).
_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$_PG_ROOT" && runuser -u postgres -- "$@")
    else
        (cd "$_PG_ROOT" && "$@")
    fi
}

# Print a TCP port on 127.0.0.1 that is free right now.
_pg_free_port() {
    local port
    if command -v python3 >/dev/null 2>&1 &&
        port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null)" && [ -n "$port" ]; then
        printf '%s\n' "$port"
        return 0
    fi
    # Fallback: random high ports, skipping ones something already answers on.
    local i
    for ((i = 0; i < 50; i++)); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

# Print the tail of a file to stderr (if it exists and is non-empty).
_pg_tail() {
    if [ -s "$1" ]; then
        _pg_log "---- last lines of $1 ----"
        tail -n "${2:-30}" "$1" >&2 || true
        _pg_log "----"
    fi
}

pg_start() {
    if [ -n "${_PG_ROOT:-}" ]; then
        _pg_log "pg_start: a cluster is already running in $_PG_ROOT; call pg_stop first"
        return 1
    fi

    local bindir
    if ! bindir="$(_pg_find_bindir)"; then
        _pg_log "pg_start: no initdb found (run pg_ensure_installed or set PG_BINDIR)"
        return 1
    fi

    if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
        _pg_log "pg_start: running as root but there is no 'postgres' user"
        return 1
    fi

    _PG_ROOT="$(mktemp -d /tmp/styrkort-pg.XXXXXX)" || {
        _PG_ROOT=""
        _pg_log "pg_start: mktemp failed"
        return 1
    }
    local datadir="$_PG_ROOT/data"
    local sockdir="$_PG_ROOT/sock"
    local logfile="$_PG_ROOT/postgres.log"
    local setuplog="$_PG_ROOT/setup.log"
    # Exported early so pg_stop can find the cluster if we fail half-way.
    export PG_DATADIR="$datadir" PG_BINDIR="$bindir" PG_SOCKDIR="$sockdir"

    if ! mkdir -p "$sockdir"; then
        _pg_log "pg_start: cannot create $sockdir"
        pg_stop
        return 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        if ! chown -R postgres: "$_PG_ROOT"; then
            _pg_log "pg_start: cannot chown $_PG_ROOT to postgres"
            pg_stop
            return 1
        fi
    fi

    # C.UTF-8 if this system has it, plain C otherwise. (No `grep -q`: it
    # would SIGPIPE `locale -a` and trip pipefail.)
    local locale="C"
    if locale -a 2>/dev/null | grep -Ei '^c\.utf-?8$' >/dev/null; then
        locale="C.UTF-8"
    fi

    if ! _pg_as_owner "$bindir/initdb" -D "$datadir" -U postgres \
        --auth-local=trust --auth-host=trust -E UTF8 --locale="$locale" \
        -N >"$setuplog" 2>&1; then
        _pg_log "pg_start: initdb failed"
        _pg_tail "$setuplog"
        pg_stop
        return 1
    fi

    # Pick a port and start; retry with a new port if we lost a bind race.
    local port="" attempt started=""
    for attempt in 1 2 3; do
        if ! port="$(_pg_free_port)"; then
            _pg_log "pg_start: could not find a free TCP port"
            pg_stop
            return 1
        fi
        if [ -f "$logfile" ]; then
            : >"$logfile" # forget a previous attempt's bind error
        fi
        if _pg_as_owner "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 \
            -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >>"$setuplog" 2>&1; then
            started=1
            break
        fi
        if [ -f "$logfile" ] &&
            grep -E 'could not bind|Address already in use' "$logfile" >/dev/null; then
            _pg_log "pg_start: port $port taken (attempt $attempt), retrying"
            continue
        fi
        break
    done
    if [ -z "$started" ]; then
        _pg_log "pg_start: PostgreSQL server failed to start (port ${port:-?})"
        _pg_tail "$setuplog" 10
        _pg_tail "$logfile" 40
        pg_stop
        return 1
    fi
    export PG_PORT="$port"

    local -a psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1
        -h "$sockdir" -p "$port" -U postgres -d postgres)
    if ! "${psql[@]}" >>"$setuplog" 2>&1 <<'SQL'
CREATE ROLE styrkort_owner WITH LOGIN CREATEDB CREATEROLE PASSWORD 'styrkort_owner';
CREATE ROLE styrkort_service NOLOGIN;
CREATE ROLE styrkort WITH LOGIN PASSWORD 'styrkort' IN ROLE styrkort_service;
CREATE DATABASE styrkort OWNER styrkort_owner;
SQL
    then
        _pg_log "pg_start: creating role/database styrkort failed"
        _pg_tail "$setuplog"
        _pg_tail "$logfile"
        pg_stop
        return 1
    fi

    local version
    version="$("${psql[@]}" -At -c 'SHOW server_version' 2>/dev/null)" ||
        version="?"
    export STYRKORT_PG_URL="postgresql+asyncpg://styrkort_owner:styrkort_owner@127.0.0.1:${port}/styrkort"
    export STYRKORT_PG_SERVICE_URL="postgresql+asyncpg://styrkort:styrkort@127.0.0.1:${port}/styrkort"
    _pg_log "PostgreSQL ${version} on 127.0.0.1:${port} (data ${datadir})"
    return 0
}

pg_stop() {
    local root="${_PG_ROOT:-}"
    local datadir="${PG_DATADIR:-}"
    local bindir="${PG_BINDIR:-}"
    if [ -n "$root" ] && [ -n "$datadir" ] && [ -f "$datadir/postmaster.pid" ]; then
        if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
            bindir="$(_pg_find_bindir 2>/dev/null)" || bindir=""
        fi
        if [ -n "$bindir" ]; then
            if ! _pg_as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 30 \
                stop >/dev/null 2>&1; then
                _pg_as_owner "$bindir/pg_ctl" -D "$datadir" -m immediate -w \
                    -t 10 stop >/dev/null 2>&1 || true
            fi
        fi
        # Last resort: the postmaster pid is the first line of postmaster.pid.
        if [ -f "$datadir/postmaster.pid" ]; then
            local pid=""
            pid="$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null)" || pid=""
            case "$pid" in
                '' | *[!0-9]*) ;;
                *) kill -KILL "$pid" 2>/dev/null || true ;;
            esac
        fi
    fi
    # Only ever delete a directory that pg_start created.
    case "$root" in
        /tmp/styrkort-pg.?*) rm -rf -- "$root" 2>/dev/null || true ;;
    esac
    _PG_ROOT=""
    unset PG_DATADIR PG_PORT PG_SOCKDIR STYRKORT_PG_URL STYRKORT_PG_SERVICE_URL
    return 0
}
