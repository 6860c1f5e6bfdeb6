# Sourced by the benchmark scripts: builds Release and starts one benchmark silo on a fresh throw-away embedded
# PostgreSQL (fsync on), seeding and simulator off, rate limit raised for the generator. Expects `mode` (gateway or
# http) and `ports` (an offset, so two scripts can run side by side); sets `key`, `silo`, `load_target` and `load_command`,
# and stops everything on exit. SILO_ARGS adds silo settings; SILO_ENV adds environment variables; SILO_DLL runs another
# build of the silo (a published one, say).
work=$(mktemp -d /tmp/exchange-benchmark.XXXXXX)
chmod 755 "$work"   # the embedded server runs as the postgres user
http_port=$((5090 + ports)) gateway_port=$((30090 + ports)) pg_port=$((25490 + ports))

bash scripts/ensure-prerequisites.sh
dotnet build -c Release Exchange.sln --verbosity quiet >/dev/null

key=$(bash scripts/operator-key.sh "$work/operator.key")
silo_dll=${SILO_DLL:-$PWD/silo/Exchange.Silo/bin/Release/net10.0/Exchange.Silo.dll}
# shellcheck disable=SC2086 # SILO_ENV and SILO_ARGS are lists of words
(cd "$work" && exec env ${SILO_ENV:-} dotnet "$silo_dll" --urls "http://127.0.0.1:$http_port" --Exchange:GatewayPort=$gateway_port \
  --Exchange:SiloPort=$((11190 + ports)) --Exchange:DataDirectory="$work/postgres" --Exchange:EmbeddedPostgresPort=$pg_port \
  --Exchange:BootstrapOperatorKey="$key" --Exchange:Seed:Catalog=false --Exchange:Simulator:Enabled=false \
  --Exchange:Api:RateLimitPermits=10000000 ${SILO_ARGS:-} > "$work/silo.log" 2>&1) &
silo=$!
# The log goes with the work folder: if the silo stopped by itself, show why before it does.
trap 'kill -0 $silo 2>/dev/null || { echo "the benchmark silo had stopped; the end of its log:" >&2; tail -40 "$work/silo.log" >&2; }
      kill $silo 2>/dev/null; wait $silo 2>/dev/null
      bash scripts/local-postgres.sh stop "$work/postgres" $pg_port
      rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$http_port/health" && break; sleep 1; done
if ! curl -fs -o /dev/null "http://127.0.0.1:$http_port/health"; then
  echo "the benchmark silo is not serving" >&2
  ! kill -0 $silo 2>/dev/null || tail -40 "$work/silo.log" >&2   # if it stopped, the exit trap shows its log
  exit 1
fi

load_target=(--url "http://127.0.0.1:$http_port")
# The generator is a new process each run and shares the cores with what it measures: without tiering it compiles
# each method once, fully optimized, mostly while it prepares fans, instead of recompiling hot code during the measured
# run (its CPU per operation in that run: ~0.11 ms with tiering, ~0.05 ms without; it prints the figure).
load_command=(env DOTNET_TieredCompilation=0 client/Exchange.Client/bin/Release/net10.0/exchange load)
[ "$mode" = http ] || load_target+=(--gateway-port $gateway_port)
