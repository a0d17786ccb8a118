#!/usr/bin/env bash
# Builds both images and runs the compose demo, then checks that it really works:
#   1. the server starts in its container and turns healthy (its UDP port is bound);
#   2. the `test` profile ships its generated entries and exits 0 with its JSON summary;
#   3. a datagram sent from the host to the published port is printed;
#   4. the `client` profile generates at a high rate until SIGTERM, then exits 0 with its summary;
#   5. the server printed one NDJSON line per entry the clients sent, and on SIGTERM it exits 0
#      with its JSON summary (counting those entries) as its last stderr line;
#   6. the `cluster` profile (scripts/test-docker-cluster.sh): three clients sharding over two
#      servers into a 3-node JetStream cluster; the stream holds every generated entry once.
# usage: test-docker.sh [all|compose|cluster]   (default all: steps 1-5 are `compose`, 6 `cluster`)
# Everything it starts is removed at the end. Exit status 0 only when every check passed.
#
# No image can be pulled on some machines: when `../shared/tools/docker-standin` (or the script
# named by DOCKER_STANDIN) exists, it starts an engine and provides the base image locally.
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=${1:-all}
case "$STAGE" in all | compose | cluster) ;; *) echo "usage: $0 [all|compose|cluster]" >&2; exit 2 ;; esac

BASE_IMAGE=node:22-bookworm-slim
NATS_IMAGE=nats:2.10
SERVER_IMAGE=udp-log-shipper-server:latest
CLIENT_IMAGE=udp-log-shipper-client:latest
PROJECT=shipper-docker-test
CLIENT_RATE=500       # entries per second of the `client` profile
CLIENT_MIN_SEEN=1000  # entries the server must have printed before the client gets SIGTERM

server_id="" test_id="" client_id="" cluster_ids=""

step() { printf '\n== %s\n' "$*"; }
fail() {
  printf '\ntest:docker FAILED: %s\n' "$*" >&2
  for id in "$server_id" "$test_id" "$client_id" $cluster_ids; do
    [ -n "$id" ] || continue
    printf -- '--- last stderr lines of %s\n' "$(docker inspect -f '{{.Name}}' "$id" 2>/dev/null)" >&2
    docker logs "$id" 2>&1 >/dev/null | tail -n 8 >&2 || true
  done
  exit 1
}
compose() { $COMPOSE_CMD -p "$PROJECT" --env-file .env.example "$@"; }
cleanup() {
  [ -n "${COMPOSE_CMD:-}" ] || return 0
  compose --profile client --profile test --profile cluster down -v --remove-orphans -t 5 \
    >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The last stderr line of a container, which must be its JSON summary; prints the summary.
summary_of() {
  local line
  line=$(docker logs "$1" 2>&1 >/dev/null | tail -n 1)
  node -e 'const s = JSON.parse(process.argv[1]); if (s === null || typeof s !== "object") throw 0;
    console.log(JSON.stringify(s))' "$line" 2>/dev/null ||
    fail "the last stderr line of $2 is not a JSON summary: $line"
}
# field SUMMARY NAME: a top-level field of a JSON summary.
field() { node -e 'const v = JSON.parse(process.argv[1])[process.argv[2]];
  console.log(typeof v === "object" ? JSON.stringify(v) : String(v))' "$1" "$2"; }
# How many lines the server printed on stdout; fails on any stdout line that is not a JSON object.
server_entries() {
  docker logs "$server_id" 2>/dev/null | node -e '
    let n = 0, bad = 0, text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      for (const line of text.split("\n")) {
        if (line === "") continue;
        try { const v = JSON.parse(line); if (v && typeof v === "object" && !Array.isArray(v)) n++; else bad++; }
        catch { bad++; }
      }
      if (bad > 0) { console.error(bad + " stdout lines are not JSON objects"); process.exit(1); }
      console.log(n);
    });' || fail "the server's stdout holds something other than NDJSON entries"
}
# wait_exit ID NAME SECONDS: the container's exit code once it has stopped.
wait_exit() {
  timeout "$3" docker wait "$1" || fail "$2 did not exit within $3 s"
}
# wait_entries N SECONDS: waits until the server has printed at least N entries; prints the count.
wait_entries() {
  local n=0
  for _ in $(seq $(($2 * 2))); do
    n=$(server_entries) || exit 1
    [ "$n" -ge "$1" ] && break
    sleep 0.5
  done
  echo "$n"
}
# build_image IMAGE DOCKERFILE: builds quietly; shows the end of the build's output on failure.
build_image() {
  local log
  log=$(mktemp)
  if ! docker build --network host --force-rm -f "$2" -t "$1" . >"$log" 2>&1; then
    { grep -m 12 -i 'error' "$log" || true; tail -n 3 "$log"; } >&2
    rm -f "$log"
    fail "building $1 from $2"
  fi
  rm -f "$log"
  echo "$1: $(docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1e6 }')"
}
free_udp_port() {
  node -e 'const s = require("node:dgram").createSocket("udp4");
    s.bind(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# shellcheck source=scripts/test-docker-cluster.sh
. scripts/test-docker-cluster.sh

base_images=("$BASE_IMAGE")
[ "$STAGE" = compose ] || base_images+=("$NATS_IMAGE")
step "Docker engine and the base images: ${base_images[*]}"
standin=${DOCKER_STANDIN:-}
if [ -z "$standin" ] && [ -x ../shared/tools/docker-standin ]; then
  standin=../shared/tools/docker-standin
fi
if ! docker info >/dev/null 2>&1 || ! docker image inspect "${base_images[@]}" >/dev/null 2>&1; then
  if [ -n "$standin" ]; then
    "$standin" "${base_images[@]}" || fail "$standin could not prepare ${base_images[*]}"
  fi
fi
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info)"
if docker compose version >/dev/null 2>&1; then COMPOSE_CMD="docker compose"
elif command -v docker-compose >/dev/null 2>&1; then COMPOSE_CMD=docker-compose
else fail "neither 'docker compose' nor docker-compose is installed"; fi
echo "engine $(docker version -f '{{.Server.Version}}'), $($COMPOSE_CMD version --short 2>/dev/null || $COMPOSE_CMD version | head -n 1)"

step "Build $SERVER_IMAGE and $CLIENT_IMAGE"
build_image "$SERVER_IMAGE" Dockerfile
build_image "$CLIENT_IMAGE" Dockerfile.client
for image in "$SERVER_IMAGE" "$CLIENT_IMAGE"; do
  user=$(docker image inspect -f '{{.Config.User}}' "$image")
  [ "$user" = node ] || fail "$image runs as '$user', not as the non-root user node"
done

# The compose demo: the server, the `test` and `client` profiles, the published port.
compose_checks() {
  step "Start the server"
  SERVER_PORT=$(free_udp_port)
  export SERVER_PORT
  compose down --remove-orphans -t 5 >/dev/null 2>&1 || true
  compose up -d server || fail "docker compose up server"
  server_id=$(compose ps -q server)
  for _ in $(seq 60); do
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$server_id")" = healthy ] && break
    [ "$(docker inspect -f '{{.State.Running}}' "$server_id")" = true ] || fail "the server exited"
    sleep 0.5
  done
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$server_id")" = healthy ] ||
    fail "the server did not turn healthy within 30 s"
  docker logs "$server_id" 2>&1 >/dev/null | grep -q 'listening on udp://' ||
    fail "the server did not announce 'listening on udp://'"
  echo "server healthy, published on udp://127.0.0.1:$SERVER_PORT"

  step "Profile test: a short generating client"
  compose --profile test up -d --no-deps test || fail "docker compose up test"
  test_id=$(compose --profile test ps -a -q test)
  code=$(wait_exit "$test_id" "the test client" 60)
  [ "$code" = 0 ] || fail "the test client exited $code"
  test_summary=$(summary_of "$test_id" "the test client")
  test_sent=$(field "$test_summary" sent)
  echo "test client: exit 0, summary $test_summary"
  [ "$test_sent" -gt 0 ] || fail "the test client sent nothing"

  step "A datagram from the host to the published port"
  node -e 'const s = require("node:dgram").createSocket("udp4");
    const entry = JSON.stringify({ message: "hello from the host", service: "test-docker" });
    s.send(entry, Number(process.argv[1]), "127.0.0.1", (e) => { s.close(); if (e) throw e; });' \
    "$SERVER_PORT"

  step "Profile client: $CLIENT_RATE entries/s until SIGTERM"
  RUN_TIME=300 LOGS_PER_SECOND=$CLIENT_RATE compose --profile client up -d --no-deps client ||
    fail "docker compose up client"
  client_id=$(compose --profile client ps -q client)
  seen=$(wait_entries $((test_sent + 1 + CLIENT_MIN_SEEN)) 60)
  [ "$seen" -ge $((test_sent + 1 + CLIENT_MIN_SEEN)) ] ||
    fail "the server printed fewer than $CLIENT_MIN_SEEN of the client's entries within 60 s"
  docker kill -s TERM "$client_id" >/dev/null
  code=$(wait_exit "$client_id" "the client after SIGTERM" 30)
  [ "$code" = 0 ] || fail "the client exited $code after SIGTERM"
  client_summary=$(summary_of "$client_id" "the client")
  client_sent=$(field "$client_summary" sent)
  echo "client: exit 0 after SIGTERM, summary $client_summary"

  step "Every entry sent reached the server's stdout"
  expected=$((test_sent + 1 + client_sent))
  printed=$(wait_entries "$expected" 10)
  echo "server printed $printed NDJSON lines; sent: $test_sent (test) + 1 (host) + $client_sent (client)"
  [ "$printed" = "$expected" ] || fail "the server printed $printed entries, $expected were sent"

  step "SIGTERM to the server"
  docker kill -s TERM "$server_id" >/dev/null
  code=$(wait_exit "$server_id" "the server after SIGTERM" 30)
  [ "$code" = 0 ] || fail "the server exited $code after SIGTERM"
  server_summary=$(summary_of "$server_id" "the server")
  echo "server: exit 0 after SIGTERM, summary $server_summary"
  [ "$(field "$server_summary" entries)" = "$expected" ] ||
    fail "the server's summary counts $(field "$server_summary" entries) entries, not $expected"

  printf '\ncompose OK: %s entries through the compose network and the published port; ' "$expected"
  printf 'the client and the server exited 0 on SIGTERM with their JSON summaries\n'
}

if [ "$STAGE" != cluster ]; then compose_checks; fi
if [ "$STAGE" != compose ]; then cluster_checks; fi
printf '\ntest:docker OK (%s)\n' "$STAGE"
