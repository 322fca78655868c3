#!/usr/bin/env bash
# Runs the parley cluster on one machine without Docker: Redis, PostgreSQL,
# NODES parley nodes from dist/main.js and nginx in front, all on loopback,
# and coturn (turnserver) for video chats when TURN_SECRET is set.
#
#   deploy/cluster.sh up       start everything; returns once all of it answers
#   deploy/cluster.sh down     stop what `up` started (by PID file) and wait
#   deploy/cluster.sh status   show what is running
#
# Settings (environment):
#   NODES (3)            number of parley nodes
#   BASE_PORT (3101)     node i listens on BASE_PORT + i - 1, on 127.0.0.1
#   NGINX_PORT (8080)    port of the load balancer
#   NGINX_HOST (127.0.0.1) address nginx listens on (0.0.0.0 to serve a network)
#   REDIS_PORT (6380)    port of Redis, on 127.0.0.1
#   REDIS_MODE (single)  single: one Redis. cluster: a Redis Cluster of 3
#                        masters and 3 replicas on REDIS_PORT..REDIS_PORT+5
#                        (cluster bus on each port + 10000), created on first
#                        use; the nodes get REDIS_CLUSTER_NODES instead of REDIS_URL
#   PG_PORT (5433)       port of PostgreSQL, on 127.0.0.1 (TCP only)
#   RUN_DIR (./.run)     PIDs, logs, Redis and PostgreSQL data, the generated
#                        nginx config
#   NGINX_WORKERS (auto) nginx worker processes (auto: one per core)
#   NGINX_WORKER_CONNECTIONS (4096)  connections per nginx worker; a chat user
#                        holds two (client and upstream), and a worker may open
#                        this many files plus 1024 (worker_rlimit_nofile), which
#                        must fit under the hard open-file limit (ulimit -Hn)
#   NGINX_REUSEPORT (off) on: a listening socket per worker, so the kernel
#                        spreads connections evenly over the workers (needed
#                        when they run near worker_connections)
#   NGINX_METRICS_ALLOW  comma list of addresses allowed /metrics through nginx
#                        (unset: nginx answers 404 for /metrics)
#   TURN_SECRET          set: `up` also starts turnserver (apt-get install coturn)
#                        with this static-auth-secret, and the nodes hand out
#                        TURN credentials signed with it (docs/deployment.md)
#   TURN_HOST (127.0.0.1) address turnserver listens and relays on (a public
#                        address to serve a network; on loopback it relays
#                        between loopback peers, for a machine of its own only)
#   TURN_PORT (3478)     its STUN/TURN port (UDP and TCP)
#   TURN_MIN_PORT (49152), TURN_MAX_PORT (65535)  its relay port range (UDP)
#   TURN_REALM (parley)  its realm
#   UP_TIMEOUT_S (30)    how long `up` waits for everything to answer
#   STOP_TIMEOUT_S (20)  how long `down` waits after SIGTERM before SIGKILL
# Every node setting (see .env.example) set in the environment reaches every
# node unchanged. The script sets NODE_ID=node-<i>, PORT, HOST=127.0.0.1,
# REDIS_URL (or REDIS_CLUSTER_NODES) and DATABASE_URL per node, TRUST_PROXY=1 (nginx) unless set,
# SESSION_SECRET to a random key kept in RUN_DIR/session-secret unless set, and
# with TURN_SECRET, TURN_URLS to this turnserver (UDP and TCP) unless set.
# turnserver reads deploy/coturn/turnserver.conf (the hardening every
# deployment shares) plus what this run adds, written to RUN_DIR/turnserver.conf.
# PostgreSQL's server binaries come from /usr/lib/postgresql/<newest>/bin; as
# root they run as the postgres user (initdb and postgres refuse root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

NODES="${NODES:-3}"
BASE_PORT="${BASE_PORT:-3101}"
NGINX_PORT="${NGINX_PORT:-8080}"
NGINX_HOST="${NGINX_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6380}"
REDIS_MODE="${REDIS_MODE:-single}"
PG_PORT="${PG_PORT:-5433}"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
UP_TIMEOUT_S="${UP_TIMEOUT_S:-30}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-20}"
TURN_HOST="${TURN_HOST:-127.0.0.1}"
TURN_PORT="${TURN_PORT:-3478}"
TURN_MIN_PORT="${TURN_MIN_PORT:-49152}"
TURN_MAX_PORT="${TURN_MAX_PORT:-65535}"
TURN_REALM="${TURN_REALM:-parley}"
# on: this run starts turnserver (TURN_SECRET was set at `up`; `down` reads it from SETTINGS_FILE).
TURN="off"
[[ -z "${TURN_SECRET:-}" ]] || TURN="on"

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for name in NODES BASE_PORT NGINX_PORT REDIS_PORT PG_PORT UP_TIMEOUT_S STOP_TIMEOUT_S TURN_PORT TURN_MIN_PORT TURN_MAX_PORT; do
  is_uint "${!name}" || die "$name must be a whole number, got '${!name}'"
done
(( NODES >= 1 )) || die "NODES must be at least 1"
[[ "$REDIS_MODE" == single || "$REDIS_MODE" == cluster ]] || die "REDIS_MODE must be single or cluster, got '$REDIS_MODE'"
(( BASE_PORT + NODES - 1 <= 65535 && NGINX_PORT <= 65535 && REDIS_PORT <= 65535 && PG_PORT <= 65535 && TURN_PORT <= 65535 )) ||
  die "ports must be at most 65535"
(( 1024 <= TURN_MIN_PORT && TURN_MIN_PORT <= TURN_MAX_PORT && TURN_MAX_PORT <= 65535 )) ||
  die "TURN_MIN_PORT..TURN_MAX_PORT must be a range within 1024..65535"
[[ "$TURN_HOST" =~ ^[0-9A-Fa-f.:]+$ ]] || die "TURN_HOST must be an IP address, got '$TURN_HOST'"
[[ "$TURN_REALM" =~ ^[A-Za-z0-9.-]+$ ]] || die "TURN_REALM must be letters, digits, '.' or '-', got '$TURN_REALM'"

# Absolute, because nginx resolves relative paths against its prefix.
[[ "$RUN_DIR" == /* ]] || RUN_DIR="$PWD/$RUN_DIR"
PID_DIR="$RUN_DIR/pids"
LOG_DIR="$RUN_DIR/logs"
NGINX_PREFIX="$RUN_DIR/nginx"
PG_DIR="$RUN_DIR/postgres"
PG_DATA="$PG_DIR/data"
# The superuser initdb creates, and the database the nodes use.
PG_USER=parley
PG_DB=parley
# The topology `up` used, so that `down` and `status` need not be given it again.
SETTINGS_FILE="$RUN_DIR/cluster.env"

NGINX_BIN="$(command -v nginx || true)"
if [[ -z "$NGINX_BIN" && -x /usr/sbin/nginx ]]; then NGINX_BIN=/usr/sbin/nginx; fi

# The newest installed PostgreSQL server (the psql client alone is not enough).
PG_BIN=""
for dir in /usr/lib/postgresql/*/bin; do
  [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
  if [[ -z "$PG_BIN" ]] || (( $(basename "$(dirname "$dir")") > $(basename "$(dirname "$PG_BIN")") )); then
    PG_BIN="$dir"
  fi
done

save_settings() {
  printf '%s\n' "NODES=$NODES" "BASE_PORT=$BASE_PORT" "NGINX_HOST=$NGINX_HOST" \
    "NGINX_PORT=$NGINX_PORT" "REDIS_PORT=$REDIS_PORT" "PG_PORT=$PG_PORT" "REDIS_MODE=$REDIS_MODE" \
    "TURN=$TURN" "TURN_HOST=$TURN_HOST" "TURN_PORT=$TURN_PORT" >"$SETTINGS_FILE"
}

load_settings() {
  [[ -f "$SETTINGS_FILE" ]] || return 0
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      NODES | BASE_PORT | NGINX_PORT | REDIS_PORT | PG_PORT | TURN_PORT) is_uint "$value" && printf -v "$key" '%s' "$value" ;;
      NGINX_HOST | TURN_HOST) [[ "$value" =~ ^[0-9A-Za-z.:]+$ ]] && printf -v "$key" '%s' "$value" ;;
      REDIS_MODE) [[ "$value" == single || "$value" == cluster ]] && REDIS_MODE="$value" ;;
      TURN) [[ "$value" == on || "$value" == off ]] && TURN="$value" ;;
    esac
  done <"$SETTINGS_FILE"
  return 0
}

node_port() { echo $(( BASE_PORT + $1 - 1 )); }

# Redis Cluster: 3 masters with a replica each.
CLUSTER_SIZE=6
redis_port() { echo $(( REDIS_PORT + $1 - 1 )); }
cluster_seeds() {
  local i seeds=()
  for (( i = 1; i <= CLUSTER_SIZE; i++ )); do seeds+=("127.0.0.1:$(redis_port "$i")"); done
  (IFS=,; echo "${seeds[*]}")
}

# The components `up` starts, in start order: "name:expected command".
components() {
  local i
  if [[ "$REDIS_MODE" == cluster ]]; then
    for (( i = 1; i <= CLUSTER_SIZE; i++ )); do echo "redis-$i:redis-server"; done
  else
    echo "redis:redis-server"
  fi
  echo "postgres:postgres -D"
  [[ "$TURN" != on ]] || echo "turn:turnserver"
  for (( i = 1; i <= NODES; i++ )); do echo "node-$i:dist/main.js"; done
  echo "nginx:nginx"
}

# Prints the PID in RUN_DIR/pids/NAME.pid if that process is alive and is the
# program we started (a recycled PID belongs to something else).
live_pid() {
  local name="$1" expect="$2" file="$PID_DIR/$1.pid" pid cmdline
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  is_uint "$pid" || return 1
  alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    [[ "$cmdline" == *"$expect"* ]] || return 1
  fi
  echo "$pid"
}

# GET a URL; prints the body, fails unless the status is 2xx.
http_get() {
  if command -v curl >/dev/null; then
    curl -fsS --max-time 2 "$1"
  else
    node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
        .then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); })
        .catch(() => process.exit(1));' "$1"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until CHECK (a command) succeeds, while PID lives; fails after the deadline.
wait_for() {
  local what="$1" pid="$2" logfile="$3"; shift 3
  while ! "$@" >/dev/null 2>&1; do
    if ! alive "$pid"; then
      log "$what exited during start-up; last lines of $logfile:"
      tail -n 20 "$logfile" >&2 || true
      return 1
    fi
    if (( SECONDS >= DEADLINE )); then
      log "$what did not answer within ${UP_TIMEOUT_S}s; last lines of $logfile:"
      tail -n 20 "$logfile" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "${1:-$REDIS_PORT}" ping)" == PONG ]]; }

# Every server of the Redis Cluster serves all slots.
redis_cluster_ok() {
  local i
  for (( i = 1; i <= CLUSTER_SIZE; i++ )); do
    [[ "$(redis-cli -h 127.0.0.1 -p "$(redis_port "$i")" cluster info)" == *cluster_state:ok* ]] || return 1
  done
}

# Starts the six servers (their data and cluster config survive down/up) and
# creates the cluster on first use.
start_redis_cluster() {
  local i port
  for (( i = 1; i <= CLUSTER_SIZE; i++ )); do
    port="$(redis_port "$i")"
    mkdir -p "$RUN_DIR/redis-$i"
    start "redis-$i" redis-server --port "$port" --bind 127.0.0.1 --dir "$RUN_DIR/redis-$i" \
      --appendonly yes --save '' --daemonize no --logfile '' \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000
  done
  for (( i = 1; i <= CLUSTER_SIZE; i++ )); do
    wait_for "redis-$i" "$(<"$PID_DIR/redis-$i.pid")" "$LOG_DIR/redis-$i.log" redis_ready "$(redis_port "$i")"
  done
  if [[ "$(redis-cli -h 127.0.0.1 -p "$(redis_port 1)" cluster info)" == *cluster_slots_assigned:0* ]]; then
    log "creating the Redis Cluster (3 masters, 3 replicas)"
    redis-cli --cluster create $(cluster_seeds | tr ',' ' ') --cluster-replicas 1 --cluster-yes \
      >>"$LOG_DIR/redis-1.log" 2>&1 || { log "redis-cli --cluster create failed; see $LOG_DIR/redis-1.log"; return 1; }
  fi
  wait_for "the Redis Cluster" "$(<"$PID_DIR/redis-1.pid")" "$LOG_DIR/redis-1.log" redis_cluster_ok
}

# Runs a PostgreSQL binary as the postgres user when this script runs as root.
as_postgres() {
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_url() { echo "postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB"; }

# Creates the cluster on first use (data survives down/up), starts it with
# pg_ctl, records the postmaster's PID, and creates the nodes' database.
start_postgres() {
  local log="$LOG_DIR/postgres.log" pid
  mkdir -p "$PG_DIR"
  : >>"$log"
  if (( EUID == 0 )); then
    chown postgres: "$PG_DIR" "$log"
    # The postgres user needs to reach its dir: RUN_DIR gets search (not read)
    # permission for others; further up is the operator's choice.
    chmod o+x "$RUN_DIR"
    runuser -u postgres -- test -w "$PG_DIR" ||
      die "the postgres user cannot reach $PG_DIR; pick a RUN_DIR it can reach (e.g. under /tmp or /var/tmp)"
  fi
  printf -- '--- %s cluster.sh starting postgres\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" -A trust -E UTF8 --no-locale >>"$log" 2>&1 ||
      { log "initdb failed; last lines of $log:"; tail -n 20 "$log" >&2; return 1; }
  fi
  # TCP on loopback only: no Unix socket, so no socket path length limit.
  local ok=1
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$log" -w -t "$(( DEADLINE > SECONDS ? DEADLINE - SECONDS : 1 ))" \
    -o "-p $PG_PORT -k '' -c listen_addresses=127.0.0.1" start >/dev/null || ok=0
  # Recorded even after a failed start, so that the cleanup stops it.
  if [[ -f "$PG_DATA/postmaster.pid" ]]; then
    pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
    is_uint "$pid" && echo "$pid" >"$PID_DIR/postgres.pid"
  fi
  if (( ok == 0 )); then
    log "postgres did not start; last lines of $log:"
    tail -n 20 "$log" >&2 || true
    return 1
  fi
  if [[ "$(as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -XtAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]]; then
    as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
  fi
}

node_ready() {
  local body
  body="$(http_get "http://127.0.0.1:$(node_port "$1")/health")" || return 1
  # The node on this port must be ours, and on the shared Redis store.
  [[ "$body" == *"\"nodeId\":\"node-$1\""* && "$body" == *'"store":"redis"'* && "$body" == *'"postgres":"up"'* ]]
}

# turnserver answers on its TCP listener (it opens the UDP one first).
turn_ready() { (exec 3<>"/dev/tcp/$TURN_HOST/$TURN_PORT") 2>/dev/null; }

# The shared hardening plus this run's listener, relay range, realm and secret
# (the secret in a file only the caller can read, not on a command line).
# On loopback, loopback peers are let through: the only peers there are.
write_turn_config() {
  local file="$RUN_DIR/turnserver.conf"
  (
    umask 077
    {
      cat "$ROOT/deploy/coturn/turnserver.conf"
      printf '\n# Written by deploy/cluster.sh up.\n'
      printf '%s\n' "listening-ip=$TURN_HOST" "relay-ip=$TURN_HOST" "listening-port=$TURN_PORT" \
        "min-port=$TURN_MIN_PORT" "max-port=$TURN_MAX_PORT" "realm=$TURN_REALM" "static-auth-secret=$TURN_SECRET" \
        "no-tls" "no-dtls" "pidfile=$RUN_DIR/turnserver.pid"
      if [[ "$TURN_HOST" == 127.* || "$TURN_HOST" == ::1 ]]; then
        printf '%s\n' "allow-loopback-peers" "allowed-peer-ip=$TURN_HOST"
      fi
    } >"$file"
  )
  echo "$file"
}

nginx_ready() {
  local body
  body="$(http_get "http://127.0.0.1:$NGINX_PORT/health")" || return 1
  [[ "$body" == *'"status":"ok"'* ]]
}

# True while PID runs (a zombie, dead but not yet reaped, counts as gone).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ ! -r "/proc/$1/stat" ]] || [[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

# Sends SIGTERM to every live component, waits up to STOP_TIMEOUT_S, then
# SIGKILLs what is left, and returns once all are gone. Order: nginx stops
# taking traffic first, the nodes drain while Redis and PostgreSQL still run,
# those two last. PostgreSQL gets SIGINT (fast shutdown: it disconnects any
# session left, where SIGTERM would wait for them).
stop_all() {
  local group entry name expect pid k deadline killed signal
  for group in nginx node "postgres redis turn"; do
    local pids=() names=()
    while IFS= read -r entry; do
      name="${entry%%:*}" expect="${entry#*:}"
      [[ " $group " == *" ${name%%-*} "* ]] || continue
      if pid="$(live_pid "$name" "$expect")"; then
        signal=TERM
        [[ "$name" != postgres ]] || signal=INT
        kill "-$signal" "$pid" 2>/dev/null || true
        pids+=("$pid") names+=("$name")
      fi
    done < <(components)
    deadline=$(( SECONDS + STOP_TIMEOUT_S )) killed=0
    while (( ${#pids[@]} > 0 )); do
      for k in "${!pids[@]}"; do
        if ! alive "${pids[$k]}"; then
          log "stopped ${names[$k]} (pid ${pids[$k]})"
          rm -f "$PID_DIR/${names[$k]}.pid"
          unset "pids[$k]" "names[$k]"
        fi
      done
      (( ${#pids[@]} > 0 )) || break
      if (( killed == 0 && SECONDS >= deadline )); then
        log "sending SIGKILL to ${names[*]} after ${STOP_TIMEOUT_S}s"
        kill -KILL "${pids[@]}" 2>/dev/null || true
        killed=1 deadline=$(( SECONDS + 5 ))
      elif (( killed == 1 && SECONDS >= deadline )); then
        log "error: ${names[*]} (pid ${pids[*]}) still running after SIGKILL"
        return 1
      fi
      sleep 0.1
    done
  done
  # PID files of processes that were already gone.
  while IFS= read -r entry; do rm -f "$PID_DIR/${entry%%:*}.pid"; done < <(components)
}

# Starts a command in the background with its output in LOG_DIR/NAME.log and
# records its PID.
start() {
  local name="$1"; shift
  printf -- '--- %s cluster.sh starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$LOG_DIR/$name.log"
  "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo "$!" >"$PID_DIR/$name.pid"
}

session_secret() {
  if [[ -n "${SESSION_SECRET:-}" ]]; then return; fi
  local file="$RUN_DIR/session-secret"
  if [[ ! -s "$file" ]]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$file")
  fi
  SESSION_SECRET="$(<"$file")"
}

cmd_up() {
  local entry name expect pid i
  command -v node >/dev/null || die "node is not installed"
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
    die "redis-server and redis-cli are needed (apt-get install redis-server)"
  [[ -n "$PG_BIN" ]] || die "a PostgreSQL server is needed under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  if (( EUID == 0 )); then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (apt-get install postgresql creates it)"
  fi
  [[ -n "$NGINX_BIN" ]] || die "nginx is needed (apt-get install nginx)"
  command -v curl >/dev/null || log "curl not found; using node for HTTP checks"
  [[ -f "$ROOT/dist/main.js" ]] || die "$ROOT/dist/main.js is missing; run npm run build first"
  [[ "$TURN" != on ]] || command -v turnserver >/dev/null || die "TURN_SECRET is set but turnserver is not installed (apt-get install coturn)"
  [[ "$TURN" != on || ${#TURN_SECRET} -ge 16 ]] || die "TURN_SECRET must be at least 16 characters"

  # Any live PID file counts, whatever topology the earlier `up` had.
  local file
  for file in "$PID_DIR"/*.pid; do
    [[ -f "$file" ]] || continue
    name="$(basename "$file" .pid)"
    case "$name" in redis | redis-*) expect=redis-server ;; postgres) expect='postgres -D' ;; nginx) expect=nginx ;; turn) expect=turnserver ;; *) expect=dist/main.js ;; esac
    if pid="$(live_pid "$name" "$expect")"; then
      die "$RUN_DIR already runs $name (pid $pid); run '$0 down' first or pick another RUN_DIR"
    fi
  done

  local ports=("$PG_PORT" "$NGINX_PORT")
  if [[ "$REDIS_MODE" == cluster ]]; then
    for (( i = 1; i <= CLUSTER_SIZE; i++ )); do ports+=("$(redis_port "$i")" "$(( $(redis_port "$i") + 10000 ))"); done
    (( REDIS_PORT + CLUSTER_SIZE - 1 + 10000 <= 65535 )) || die "REDIS_PORT + 10005 must be at most 65535 in cluster mode"
  else
    ports+=("$REDIS_PORT")
  fi
  for (( i = 1; i <= NODES; i++ )); do ports+=("$(node_port "$i")"); done
  [[ "$TURN" != on ]] || ports+=("$TURN_PORT")
  local seen=" " port
  for port in "${ports[@]}"; do
    [[ "$seen" != *" $port "* ]] || die "port $port is given twice"
    seen+="$port "
    ! port_in_use "$port" || die "port $port on 127.0.0.1 is already in use"
  done

  mkdir -p "$RUN_DIR" "$PID_DIR" "$LOG_DIR" "$RUN_DIR/redis" "$PG_DIR" "$NGINX_PREFIX/conf" "$NGINX_PREFIX/logs" \
    "$NGINX_PREFIX/temp"
  rm -f "$PID_DIR"/*.pid
  save_settings
  session_secret
  # Exported rather than passed on a command line, where ps would show it.
  export SESSION_SECRET

  # From here on, any failure (set -e) or interruption stops what was started.
  UP_DONE=0
  trap 'if (( UP_DONE == 0 )); then log "start-up failed; stopping what was started"; stop_all; fi' EXIT
  trap 'exit 130' INT TERM
  DEADLINE=$(( SECONDS + UP_TIMEOUT_S ))

  node "$ROOT/deploy/render-nginx.js" --target local --prefix "$NGINX_PREFIX" \
    --nodes "$NODES" --base-port "$BASE_PORT" --listen "$NGINX_HOST:$NGINX_PORT" \
    --worker-processes "${NGINX_WORKERS:-auto}" --worker-connections "${NGINX_WORKER_CONNECTIONS:-4096}" \
    --reuseport "${NGINX_REUSEPORT:-off}" \
    ${NGINX_METRICS_ALLOW:+--metrics-allow "$NGINX_METRICS_ALLOW"} \
    >"$NGINX_PREFIX/conf/nginx.conf"
  "$NGINX_BIN" -t -q -p "$NGINX_PREFIX" -c conf/nginx.conf -e stderr

  local redis_setting
  if [[ "$REDIS_MODE" == cluster ]]; then
    start_redis_cluster
    redis_setting="REDIS_CLUSTER_NODES=$(cluster_seeds)"
  else
    start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR/redis" \
      --appendonly yes --save '' --daemonize no --logfile ''
    wait_for redis "$(<"$PID_DIR/redis.pid")" "$LOG_DIR/redis.log" redis_ready
    redis_setting="REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  fi
  start_postgres

  if [[ "$TURN" == on ]]; then
    start turn turnserver -c "$(write_turn_config)" --log-file=stdout
    wait_for turn "$(<"$PID_DIR/turn.pid")" "$LOG_DIR/turn.log" turn_ready
    # The nodes hand out credentials for this turnserver (over UDP, and TCP where UDP is blocked).
    export TURN_SECRET
    export TURN_URLS="${TURN_URLS:-turn:$TURN_HOST:$TURN_PORT?transport=udp,turn:$TURN_HOST:$TURN_PORT?transport=tcp}"
  fi

  # The nodes start together and apply PostgreSQL migrations one at a time
  # (advisory lock); the first applies them, the others find them done.
  for (( i = 1; i <= NODES; i++ )); do
    start "node-$i" env NODE_ID="node-$i" PORT="$(node_port "$i")" HOST=127.0.0.1 \
      "$redis_setting" DATABASE_URL="$(postgres_url)" \
      TRUST_PROXY="${TRUST_PROXY:-1}" node "$ROOT/dist/main.js"
  done
  for (( i = 1; i <= NODES; i++ )); do
    wait_for "node-$i" "$(<"$PID_DIR/node-$i.pid")" "$LOG_DIR/node-$i.log" node_ready "$i"
  done

  start nginx "$NGINX_BIN" -p "$NGINX_PREFIX" -c conf/nginx.conf -e stderr
  wait_for nginx "$(<"$PID_DIR/nginx.pid")" "$LOG_DIR/nginx.log" nginx_ready

  UP_DONE=1
  trap - INT TERM
  local redis_where="Redis on 127.0.0.1:$REDIS_PORT"
  [[ "$REDIS_MODE" != cluster ]] || redis_where="Redis Cluster on 127.0.0.1:$REDIS_PORT-$(redis_port "$CLUSTER_SIZE")"
  echo "parley is up ($NODES nodes, $redis_where, PostgreSQL on 127.0.0.1:$PG_PORT, run dir $RUN_DIR)"
  echo "  app:    http://$NGINX_HOST:$NGINX_PORT/"
  echo "  health: http://$NGINX_HOST:$NGINX_PORT/health"
  echo "  stats:  http://$NGINX_HOST:$NGINX_PORT/stats"
  echo "  postgres: $(postgres_url)"
  [[ "$TURN" != on ]] || echo "  turn:   $TURN_HOST:$TURN_PORT (UDP and TCP; relay ports $TURN_MIN_PORT-$TURN_MAX_PORT)"
  for (( i = 1; i <= NODES; i++ )); do
    echo "  node-$i: http://127.0.0.1:$(node_port "$i")/ (metrics: /metrics)"
  done
  echo "stop with: RUN_DIR=$RUN_DIR $0 down"
}

cmd_down() {
  [[ -d "$PID_DIR" ]] || { log "nothing to stop in $RUN_DIR"; return 0; }
  load_settings
  stop_all
  log "down"
}

cmd_status() {
  local entry name expect pid running=0 total=0 detail
  load_settings
  while IFS= read -r entry; do
    name="${entry%%:*}" expect="${entry#*:}"
    total=$(( total + 1 ))
    detail=""
    case "$name" in
      redis) detail="127.0.0.1:$REDIS_PORT" ;;
      redis-*) detail="127.0.0.1:$(redis_port "${name#redis-}")" ;;
      postgres) detail="$(postgres_url)" ;;
      nginx) detail="$NGINX_HOST:$NGINX_PORT" ;;
      turn) detail="$TURN_HOST:$TURN_PORT" ;;
      node-*) detail="127.0.0.1:$(node_port "${name#node-}")" ;;
    esac
    if pid="$(live_pid "$name" "$expect")"; then
      running=$(( running + 1 ))
      printf '%-8s running  pid %-8s %s\n' "$name" "$pid" "$detail"
    else
      printf '%-8s stopped\n' "$name"
    fi
  done < <(components)
  echo "$running of $total running (run dir $RUN_DIR)"
  if (( running > 0 )); then
    http_get "http://127.0.0.1:$NGINX_PORT/stats" 2>/dev/null && echo || true
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
