#!/usr/bin/env bash
# `make bench`: the project's hot paths against the framework floor, measured in the same run.
# (a) GET /ocpi/2.2.1/cpo/locations pages of 100 (10,000 locations, 2 EVSEs x 2 connectors),
#     authenticated and traffic-logged; (b) POST of distinct CDRs to our eMSP receiver;
# (c) PATCH of an EVSE's status and (d) PATCH of a session (kWh, a charging period appended),
#     as a partner CPO sends them to our eMSP receiver; (e) tariff engine throughput on one core;
# (f) `reprice` of 100,000 stored CDRs; (g) rendering one invoice (bench/invoices.py) and
# (h) an invoice run of BENCH_INVOICES driver accounts (bench/invoice_run.sh).
# Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (the Celery broker, as in
# production: priced on commit by a worker, so no worker runs during the HTTP measurements).
# Quicker iterations: DUR=5 BENCH_BILLING=0 bash bench/run.sh measures the OCPI calls and the floor
# only and prints the ratios without writing docs/benchmarks.md (a complete run writes it).
# BENCH_INVOICES (1000) accounts in the invoice run, INVOICE_RUNS (40) renderings of one invoice,
# REPRICE_CDRS (100000) CDRs repriced; BENCH_OUT writes the report elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV_BIN=$ROOT/.venv/bin
DUR=${DUR:-8}
PORT=${BENCH_PORT:-8903}
FLOOR_DIR=${FLOOR_DIR:-$ROOT/../shared/bench/floor}
OUT=${BENCH_OUT:-$ROOT/docs/benchmarks.md}
# The command as the report shows it: `make bench` with the settings that differ from the defaults.
COMMAND="make bench"
for setting in BENCH_INVOICES REPRICE_CDRS INVOICE_RUNS BENCH_LOCATIONS DUR; do
    [ -z "${!setting:-}" ] || COMMAND="$setting=${!setting} $COMMAND"
done
LOG=$(mktemp -d)

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ocpi_bench}
export CELERY_BROKER_URL=${BENCH_BROKER_URL:-redis://127.0.0.1:6379/14}
export DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export OCPI_BASE_URL=http://127.0.0.1:$PORT OCPI_OWN_PARTIES="NL-TMC:CPO,NL-TME:EMSP"
export LOG_LEVEL=WARNING

echo "== seeding (database ${DATABASE_URL##*/})"
dropdb --if-exists -h 127.0.0.1 -U postgres "${DATABASE_URL##*/}"
createdb -h 127.0.0.1 -U postgres "${DATABASE_URL##*/}"
"$VENV_BIN/python" manage.py migrate --no-input -v 0
TOKEN=$("$VENV_BIN/python" bench/seed.py)
AUTH="Token $(printf %s "$TOKEN" | base64 -w0)"
# Freshly bulk-loaded tables have no statistics nor visibility map yet (autovacuum would build
# them within a minute in production): without them, counting a page's total reads every row.
psql -q -h 127.0.0.1 -U postgres -d "${DATABASE_URL##*/}" -c "VACUUM ANALYZE"

# The production configuration (gunicorn.conf.py: 2 workers with threads); the floor runs plain
# synchronous workers, as its run.sh starts them.
"$VENV_BIN/gunicorn" portal.wsgi -c gunicorn.conf.py -w 2 -b 127.0.0.1:$PORT -D \
    --pid "$LOG/gunicorn.pid" --error-logfile "$LOG/gunicorn.log"
trap 'kill $(cat "$LOG/gunicorn.pid") 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -fs -H "Authorization: $AUTH" "http://127.0.0.1:$PORT/ocpi/versions" >/dev/null && break
    sleep 0.2
done

measure() { # name, then wrk arguments; prints "req/s p50 p99"
    local name=$1; shift
    wrk -t2 -c16 -d"${DUR}s" --latency "$@" > "$LOG/$name.txt"
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$LOG/$name.txt")
    p50=$(awk '$1=="50%" {print $2}' "$LOG/$name.txt")
    p99=$(awk '$1=="99%" {print $2}' "$LOG/$name.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$LOG/$name.txt")
    echo "$rps $p50 $p99 ${non2xx:-0}"
}

echo "== project: GET locations (limit 100)"
read -r GET_RPS GET_P50 GET_P99 GET_BAD < <(measure get -H "Authorization: $AUTH" \
    "http://127.0.0.1:$PORT/ocpi/2.2.1/cpo/locations?offset=500&limit=100")
echo "   $GET_RPS pages/s, p50 $GET_P50, p99 $GET_P99, non-2xx $GET_BAD"

echo "== project: POST cdrs"
sed "s|^local counter = 0|auth = \"$AUTH\"\nlocal counter = 0|" bench/post_cdr.lua > "$LOG/post_cdr.lua"
read -r POST_RPS POST_P50 POST_P99 POST_BAD < <(measure post -s "$LOG/post_cdr.lua" \
    "http://127.0.0.1:$PORT/")
echo "   $POST_RPS req/s, p50 $POST_P50, p99 $POST_P99, non-2xx $POST_BAD"

lua_script() { # a wrk script of bench/ with the partner's token and the seeded object count
    sed "s|^local counter = 0|auth = \"$AUTH\"\nobjects = ${BENCH_LOCATIONS:-10000}\nlocal counter = 0|" \
        "bench/$1.lua" > "$LOG/$1.lua"
    echo "$LOG/$1.lua"
}
echo "== project: PATCH an EVSE's status"
read -r EVSE_RPS EVSE_P50 EVSE_P99 EVSE_BAD < <(measure patch_evse -s "$(lua_script patch_evse)" \
    "http://127.0.0.1:$PORT/")
echo "   $EVSE_RPS req/s, p50 $EVSE_P50, p99 $EVSE_P99, non-2xx $EVSE_BAD"

echo "== project: PATCH a session (kWh, a charging period appended)"
read -r SESSION_RPS SESSION_P50 SESSION_P99 SESSION_BAD < <(measure patch_session \
    -s "$(lua_script patch_session)" "http://127.0.0.1:$PORT/")
echo "   $SESSION_RPS req/s, p50 $SESSION_P50, p99 $SESSION_P99, non-2xx $SESSION_BAD"
kill "$(cat "$LOG/gunicorn.pid")"; trap - EXIT
"$VENV_BIN/python" -c "import redis; redis.Redis.from_url('$CELERY_BROKER_URL').flushdb()"

echo "== floor (../shared/bench/floor/run.sh)"
PATH="$VENV_BIN:$PATH" DUR=$DUR bash "$FLOOR_DIR/run.sh" > "$LOG/floor.txt" 2>&1
cat "$LOG/floor.txt"
FLOOR_POST=$(awk '/== POST/ {s=1} s && /Requests\/sec/ {print $2; exit}' "$LOG/floor.txt")
FLOOR_DRF=$(awk '/== GET \/locations\?/ {s=1} s && /Requests\/sec/ {print $2; exit}' "$LOG/floor.txt")
FLOOR_RAW=$(awk '/== GET \/locations_raw/ {s=1} s && /Requests\/sec/ {print $2; exit}' "$LOG/floor.txt")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
GET_VS_DRF=$(ratio "$GET_RPS" "$FLOOR_DRF")
GET_VS_RAW=$(ratio "$GET_RPS" "$FLOOR_RAW")
POST_VS_FLOOR=$(ratio "$POST_RPS" "$FLOOR_POST")
EVSE_VS_FLOOR=$(ratio "$EVSE_RPS" "$FLOOR_POST")
SESSION_VS_FLOOR=$(ratio "$SESSION_RPS" "$FLOOR_POST")
summary() {
    echo
    echo "GET locations: ${GET_VS_DRF}x floor DRF (target >= 1.5), ${GET_VS_RAW}x floor raw (target >= 0.5), p99 $GET_P99 (target < 50ms)"
    echo "POST cdrs:     ${POST_VS_FLOOR}x floor POST (target >= 0.8), p99 $POST_P99 (target < 50ms)"
    echo "PATCH evse:    ${EVSE_VS_FLOOR}x floor POST (target >= 0.8), p99 $EVSE_P99 (target < 50ms)"
    echo "PATCH session: ${SESSION_VS_FLOOR}x floor POST (target >= 0.8), p99 $SESSION_P99 (target < 50ms)"
    [ -z "${INVOICE:-}" ] || echo "invoice:       $INVOICE_SUMMARY"
    [ -z "${INVOICE_RUN:-}" ] || echo "invoice run:   $INVOICE_RUN_SUMMARY"
}
if [ "${BENCH_BILLING:-1}" = 0 ]; then
    summary
    exit 0
fi

echo "== engine: one core"
ENGINE=$("$VENV_BIN/python" -m billing.pricing.bench --json | tail -1)
echo "   $ENGINE"

echo "== reprice of ${REPRICE_CDRS:-100000} stored CDRs"
REPRICE=$(CELERY_BROKER_URL= "$VENV_BIN/python" manage.py reprice_bench --cdrs "${REPRICE_CDRS:-100000}" | tail -1)
echo "   $REPRICE"

echo "== invoice: render + embed + validate one invoice, WeasyPrint alone, validation warm"
INVOICE=$("$VENV_BIN/python" bench/invoices.py --runs "${INVOICE_RUNS:-40}")
INVOICE_SUMMARY=$(printf %s "$INVOICE" | "$VENV_BIN/python" bench/summary.py invoice)
echo "   $INVOICE_SUMMARY"

echo "== invoice run: ${BENCH_INVOICES:-1000} driver accounts, 20 priced CDRs each"
INVOICE_RUN=$("$VENV_BIN/python" bench/invoice_run.py --accounts "${BENCH_INVOICES:-1000}" | tail -1)
INVOICE_RUN_SUMMARY=$(printf %s "$INVOICE_RUN" | "$VENV_BIN/python" bench/summary.py invoice_run)
echo "   $INVOICE_RUN_SUMMARY"

echo "== portal pages: 100,000 CDRs, 10,000 drivers, 1,000 locations (manage.py portal_bench)"
PORTAL_DB=${BENCH_PORTAL_DATABASE:-ocpi_portal_bench}
dropdb --if-exists -h 127.0.0.1 -U postgres "$PORTAL_DB"
createdb -h 127.0.0.1 -U postgres "$PORTAL_DB"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PORTAL_DB" "$VENV_BIN/python" manage.py migrate -v 0
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PORTAL_DB" "$VENV_BIN/python" manage.py \
    portal_bench 2>/dev/null | grep -v "^Seeded" > "$LOG/portal.txt"
dropdb -h 127.0.0.1 -U postgres "$PORTAL_DB"
cat "$LOG/portal.txt"

"$VENV_BIN/python" bench/report.py "$OUT" <<JSON
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "duration_s": $DUR,
 "get": {"rps": "$GET_RPS", "p50": "$GET_P50", "p99": "$GET_P99", "non2xx": "$GET_BAD"},
 "post": {"rps": "$POST_RPS", "p50": "$POST_P50", "p99": "$POST_P99", "non2xx": "$POST_BAD"},
 "patch_evse": {"rps": "$EVSE_RPS", "p50": "$EVSE_P50", "p99": "$EVSE_P99", "non2xx": "$EVSE_BAD"},
 "patch_session": {"rps": "$SESSION_RPS", "p50": "$SESSION_P50", "p99": "$SESSION_P99",
                   "non2xx": "$SESSION_BAD"},
 "floor": {"post": "$FLOOR_POST", "get_drf": "$FLOOR_DRF", "get_raw": "$FLOOR_RAW"},
 "ratios": {"get_vs_drf": "$GET_VS_DRF", "get_vs_raw": "$GET_VS_RAW", "post_vs_floor": "$POST_VS_FLOOR",
            "patch_evse_vs_floor": "$EVSE_VS_FLOOR", "patch_session_vs_floor": "$SESSION_VS_FLOOR"},
 "engine": $ENGINE, "reprice": $REPRICE, "invoice": $INVOICE, "invoice_run": $INVOICE_RUN,
 "command": "$COMMAND"}
JSON
{
    echo
    echo "## Portal pages"
    echo
    echo "Server time in-process (\`manage.py portal_bench\`, 30 requests per page) on a scratch"
    echo "database with 100,000 CDRs over twelve months, 10,000 driver contracts and 1,000 locations;"
    echo "target p95 < 200 ms each. The query counts are also asserted constant, at two data sizes,"
    echo "by \`tests/portal\`."
    echo
    echo '```'
    cat "$LOG/portal.txt"
    echo '```'
} >> "$OUT"
summary
echo "written to $OUT"
