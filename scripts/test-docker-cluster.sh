# The `cluster` stage of scripts/test-docker.sh (sourced by it, which defines step, fail,
# compose, summary_of, field and wait_exit): `docker compose --profile cluster` with three NATS
# servers in one JetStream cluster, two shipper-servers writing to it with 3 replicas, and
# three --reliable clients, each generating one service's entries and sharding them over both
# servers. Checks that:
#   - every client exits 0 having sent (acknowledged) every entry it generated;
#   - the stream LOGS has 3 replicas, all current;
#   - shipper-tail --count finds every entry in the stream exactly once: the total is the sum
#     of the clients', no message id is stored twice, each service has its client's count;
#   - both servers took a share, and exit 0 on SIGTERM with their summaries.

CLUSTER_CLIENTS=(client-1 client-2 client-3)
CLUSTER_SERVERS=(server-1 server-2)
CLUSTER_NATS=(nats-1 nats-2 nats-3)

# The value after --service in a client container's command.
service_of() {
  docker inspect -f '{{json .Args}}' "$1" |
    node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => {
      const a = JSON.parse(t); const i = a.indexOf("--service"); console.log(i < 0 ? "" : a[i + 1]); });'
}

# The stream's settings and replica state, read by a node script in the server image, on the
# compose network (the NATS servers publish no port).
stream_info() {
  docker run --rm --network "${PROJECT}_default" -w /app --entrypoint node "$SERVER_IMAGE" \
    --input-type=module -e '
      import { connect } from "@nats-io/transport-node";
      import { jetstreamManager } from "@nats-io/jetstream";
      const nc = await connect({ servers: ["nats://nats-1:4222", "nats://nats-2:4222"] });
      const info = await (await jetstreamManager(nc)).streams.info("LOGS");
      const peers = (info.cluster?.replicas ?? []).filter((r) => r.current).length;
      console.log(JSON.stringify({ replicas: info.config.num_replicas, current: 1 + peers,
        leader: info.cluster?.leader, messages: info.state.messages }));
      await nc.close();'
}

cluster_checks() {
  local id code summary sent service total=0 expected_services="{" tail_json
  step "Profile cluster: 3 NATS nodes, 2 servers, 3 clients sharding over both"
  compose --profile cluster down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  compose --profile cluster up -d "${CLUSTER_NATS[@]}" "${CLUSTER_SERVERS[@]}" \
    "${CLUSTER_CLIENTS[@]}" || fail "docker compose --profile cluster up"
  for service in "${CLUSTER_NATS[@]}" "${CLUSTER_SERVERS[@]}" "${CLUSTER_CLIENTS[@]}"; do
    cluster_ids+=" $(compose --profile cluster ps -a -q "$service")"
  done

  step "Every client ends having sent every entry it generated"
  for client in "${CLUSTER_CLIENTS[@]}"; do
    id=$(compose --profile cluster ps -a -q "$client")
    code=$(wait_exit "$id" "$client" 180)
    [ "$code" = 0 ] || fail "$client exited $code"
    summary=$(summary_of "$id" "$client")
    sent=$(field "$summary" sent)
    service=$(service_of "$id")
    [ "$sent" -gt 0 ] && [ "$sent" = "$(field "$summary" entries)" ] ||
      fail "$client sent $sent of its $(field "$summary" entries) entries"
    echo "$client ($service): exit 0, $sent entries sent and acknowledged"
    total=$((total + sent))
    expected_services+="\"$service\":$sent,"
  done
  expected_services="${expected_services%,}}"

  step "The stream LOGS: 3 replicas, every entry once"
  local info
  info=$(stream_info) || fail "cannot read the stream's info"
  echo "stream: $info"
  [ "$(field "$info" replicas)" = 3 ] && [ "$(field "$info" current)" = 3 ] ||
    fail "the stream does not have 3 current replicas: $info"
  tail_json=$(compose --profile cluster run --rm --no-deps -T tail --count 2>/dev/null | tail -n 1)
  echo "shipper-tail --count: $tail_json"
  node -e '
    const [got, total, services] = [JSON.parse(process.argv[1]), Number(process.argv[2]),
      JSON.parse(process.argv[3])];
    const wrong = [];
    if (got.entries !== total) wrong.push(`${got.entries} entries stored, ${total} generated`);
    if (got.duplicates !== 0) wrong.push(`${got.duplicates} message ids stored twice`);
    if (got.without_id !== 0 || got.unparsed !== 0) wrong.push("messages without id or JSON");
    const sorted = (o) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (sorted(got.services) !== sorted(services))
      wrong.push(`per service ${JSON.stringify(got.services)}, generated ${JSON.stringify(services)}`);
    if (wrong.length > 0) { console.error(wrong.join("; ")); process.exit(1); }' \
    "$tail_json" "$total" "$expected_services" ||
    fail "the stream does not hold every generated entry exactly once"
  echo "every one of the $total generated entries is in the stream once, per service as generated"

  step "SIGTERM to both servers: each took a share"
  for server in "${CLUSTER_SERVERS[@]}"; do
    id=$(compose --profile cluster ps -q "$server")
    docker kill -s TERM "$id" >/dev/null
    code=$(wait_exit "$id" "$server after SIGTERM" 30)
    [ "$code" = 0 ] || fail "$server exited $code after SIGTERM"
    summary=$(summary_of "$id" "$server")
    echo "$server: exit 0, $(field "$summary" entries) entries"
    [ "$(field "$summary" entries)" -gt 0 ] || fail "$server received nothing: no sharding"
  done
  compose --profile cluster down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  printf '\ncluster OK: %s entries from 3 clients over 2 servers, in a 3-replica stream once each\n' \
    "$total"
}
