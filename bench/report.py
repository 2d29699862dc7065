"""Writes docs/benchmarks.md from the figures bench/run.sh measured (JSON on stdin)."""

import json
import sys

figures = json.load(sys.stdin)
get, post, floor, ratios = figures["get"], figures["post"], figures["floor"], figures["ratios"]
engine, reprice = figures["engine"], figures["reprice"]
page = "GET `/ocpi/2.2.1/cpo/locations?offset=500&limit=100`, authenticated, traffic-logged"

http_rows = [
    (f"{page} (pages/s)", get["rps"], f"DRF {floor['get_drf']}", ratios["get_vs_drf"], ">= 1.0x"),
    (f"{page}, vs raw", get["rps"], f"raw {floor['get_raw']}", ratios["get_vs_raw"], "0.7x"),
    (
        "POST distinct CDRs to `/ocpi/2.2.1/emsp/cdrs` (req/s)",
        post["rps"],
        floor["post"],
        ratios["post_vs_floor"],
        ">= 0.8x",
    ),
]
billing_rows = [
    (
        "tariff engine, one core, typical CDR (4 periods, 3 elements with time-of-day "
        "restrictions, VAT)",
        f"{engine['cdrs_per_second']:,.0f} CDRs/s",
        ">= 20,000",
    ),
    (
        f"`reprice` of {reprice['cdrs']:,} CDRs stored in PostgreSQL, end to end",
        f"{reprice['cdrs_per_second']:,.0f} CDRs/s",
        ">= 5,000",
    ),
]


def table(header: tuple, rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


report = f"""# Benchmarks

Produced by `make bench` (`bench/run.sh`) on {figures["date"]}: the project and the framework
floor (`../shared/bench/floor/run.sh`) measured in the same run on the same machine (2 cores),
wrk with 2 threads and 16 connections for {figures["duration_s"]} s each. The machine is shared
and noisy: compare the ratios, not the absolute figures, across runs.

## OCPI hot paths (gunicorn, 2 workers, PostgreSQL, Celery broker on Redis)

{table(("call", "project", "floor", "ratio", "target"), http_rows)}

Not like for like, said plainly: the project runs as production runs it, with `gunicorn.conf.py`:
2 worker processes with **4 threads each** (gthread, connections kept alive); the floor runs the
2 synchronous workers its `run.sh` starts, closing the connection after every answer. Under that
configuration each worker writes the traffic log from a background thread in batches (a worker
that stops writes its queued lines first; a database crash may lose the last lines). The
benchmark database is vacuumed and analysed after seeding, as autovacuum does in production.

Latency: GET p50 {get["p50"]}, p99 {get["p99"]}; POST p50 {post["p50"]}, p99 {post["p99"]}.
Non-2xx answers: GET {get["non2xx"]}, POST {post["non2xx"]}.

10,000 locations with 2 EVSEs x 2 connectors each, as in the floor. Each POST is a complete
OCPI 2.2.1 CDR: validated, stored, traffic-logged and queued for pricing on the Redis broker
(workers price on other cores or machines, so none runs during the measurement).

## Where the time goes

Profiled with py-spy on one gunicorn worker under wrk (samples holding the GIL, i.e. the
worker's own CPU), after the changes below. On the request path a CDR POST costs two SQL
statements (the connection with its parties; the CDR's INSERT, committing by itself) and one
Redis publish; its traffic log line is written later, in a batch. What is left, in shares of the
worker's CPU: authentication ~20% (mostly Django compiling the joined query), the CDR INSERT ~10%
(compiling a 20-column insert), queuing the pricing task ~11% (kombu builds a Redis client per
publish), the background traffic writer ~9%, DRF validation of the nested CDR ~6%, the rest
Django's and DRF's request handling. The floor does one INSERT of a five-column row after
validating a four-field serializer, with no authentication, no log and no publish: the gap to it
is these fixed costs, not waiting (PostgreSQL and Redis run on the same two shared cores, so
every statement also takes CPU from the workers). The POST target (0.8x) is not met: the ratio
moved between 0.33 and 0.77 over the runs of 2026-11-24, lowest when the machine was quiet (the
floor gains most then).

A page of locations is three statements: authentication, the lookup of our CPO party, and the
page with its total (the database joins the stored documents into one text). Its worker CPU:
authentication ~20%, the background writer ~15% (each line holds the first 64 KiB of the page,
`OCPI_TRAFFIC_BODY_LIMIT`), building the page statement ~11%, our CPO party ~7%, the rest
Django's and DRF's request handling; the raw floor runs one statement and nothing else. The DRF
floor is passed; 0.7x of the raw floor is not reached (0.23x to 0.47x over the runs of 2026-11-24).

What changed to get here: gunicorn threads and keep-alive (`gunicorn.conf.py`); the traffic log
from a background thread in batches, each batch one statement with an asynchronous commit; the
connection and its parties in one query; a partner's CDR committed by its INSERT alone instead of
BEGIN, INSERT, COMMIT; a list page and its total in one query.

## Billing

{table(("measure", "figure", "target"), billing_rows)}
"""
with open(sys.argv[1], "w") as out:
    out.write(report)
