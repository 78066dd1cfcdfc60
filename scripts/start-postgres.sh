#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the collector's storage tests and prints
#   TEST_DATABASE_DIR=/tmp/...
#   TEST_DATABASE_URL=postgres://...
# the URL as its last line, for `eval "$(scripts/start-postgres.sh | tail -1)"`.
#
# Idempotent: installs Debian's `postgresql` only if missing; every run makes a fresh cluster in
# a temporary directory (owned by the `postgres` user, which initdb requires when run as root)
# on a free port on 127.0.0.1. Stop it with the `pg_ctl ... stop` line printed to stderr.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  printf '%s' "$found"
}

BIN=$(find_bin)
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    log "PostgreSQL is not installed and this is not root: apt-get install -y postgresql"
    exit 1
  fi
  log "Installing PostgreSQL from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
  BIN=$(find_bin)
fi

# initdb refuses to run as root; run the cluster as `postgres` (created by the package) when root.
RUN_AS=()
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

DIR=$(mktemp -d /tmp/telemetry-kit-pg.XXXXXX)
chmod 700 "$DIR"
[[ ${#RUN_AS[@]} -gt 0 ]] && chown postgres "$DIR"

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

# The password travels in a file readable only by the cluster's owner, never on a command line.
printf '%s\n' "$PASSWORD" > "$DIR/pwfile"
chmod 600 "$DIR/pwfile"
[[ ${#RUN_AS[@]} -gt 0 ]] && chown postgres "$DIR/pwfile"
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=scram-sha-256 \
  --pwfile="$DIR/pwfile" -E UTF8 >&2
rm -f "$DIR/pwfile"
# The socket directory is the temporary one: /var/run/postgresql may be absent or busy.
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" start >&2

export PGPASSWORD="$PASSWORD"
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE DATABASE telemetry_kit_test" >&2

log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PORT (data in $DIR)"
log "stop it with: ${RUN_AS[*]} $BIN/pg_ctl -D $DIR/data stop"
# Both lines are shell assignments: `eval "$(scripts/start-postgres.sh)"` takes the directory
# too, for stopping the server afterwards.
printf 'TEST_DATABASE_DIR=%s\n' "$DIR"
printf 'TEST_DATABASE_URL=postgres://postgres:%s@127.0.0.1:%s/telemetry_kit_test\n' "$PASSWORD" "$PORT"
