"""Throughput of price_cdr on a typical CDR: python -m billing.pricing.bench [--count N] [--json]

The typical CDR: four charging periods across a day/evening boundary, reporting ENERGY, TIME
and PARKING_TIME, priced with a compiled tariff of three time-of-day elements with VAT.
"""

import argparse
import json
import time
from decimal import Decimal

from . import compile_tariff, price_cdr

TARIFF = """{
  "country_code": "NL", "party_id": "EXA", "id": "day-evening-night", "currency": "EUR",
  "elements": [
    {"price_components": [
       {"type": "FLAT", "price": 0.35, "vat": 21.0, "step_size": 1},
       {"type": "ENERGY", "price": 0.39, "vat": 21.0, "step_size": 1},
       {"type": "TIME", "price": 1.20, "vat": 21.0, "step_size": 60}],
     "restrictions": {"start_time": "07:00", "end_time": "18:00"}},
    {"price_components": [
       {"type": "ENERGY", "price": 0.45, "vat": 21.0, "step_size": 1},
       {"type": "TIME", "price": 0.90, "vat": 21.0, "step_size": 60},
       {"type": "PARKING_TIME", "price": 3.00, "vat": 21.0, "step_size": 300}],
     "restrictions": {"start_time": "18:00", "end_time": "23:00"}},
    {"price_components": [
       {"type": "ENERGY", "price": 0.29, "vat": 21.0, "step_size": 1},
       {"type": "TIME", "price": 0.60, "vat": 21.0, "step_size": 60}],
     "restrictions": {"start_time": "23:00", "end_time": "07:00"}}
  ],
  "last_updated": "2024-01-01T00:00:00Z"
}"""

CDR = """{
  "country_code": "NL", "party_id": "EXA", "id": "CDR-1",
  "start_date_time": "2024-03-14T15:40:00Z", "end_date_time": "2024-03-14T19:05:00Z",
  "cdr_location": {"country": "NLD"},
  "currency": "EUR",
  "charging_periods": [
    {"start_date_time": "2024-03-14T15:40:00Z", "tariff_id": "day-evening-night",
     "dimensions": [{"type": "ENERGY", "volume": 9.214}, {"type": "TIME", "volume": 0.75},
                    {"type": "MAX_POWER", "volume": 11.0}]},
    {"start_date_time": "2024-03-14T16:30:00Z",
     "dimensions": [{"type": "ENERGY", "volume": 5.802}, {"type": "TIME", "volume": 0.5}]},
    {"start_date_time": "2024-03-14T17:00:00Z",
     "dimensions": [{"type": "ENERGY", "volume": 10.115}, {"type": "TIME", "volume": 1.0}]},
    {"start_date_time": "2024-03-14T18:00:00Z",
     "dimensions": [{"type": "PARKING_TIME", "volume": 1.0833}]}
  ],
  "last_updated": "2024-03-14T19:10:00Z"
}"""


def measure(count: int, runs: int) -> float:
    """The best rate of `runs` timed loops of `count` CDRs, in CDRs per CPU second.

    CPU time of this process, so that other work on the machine does not count.
    """
    tariffs = [compile_tariff(json.loads(TARIFF, parse_float=Decimal))]
    cdr = json.loads(CDR, parse_float=Decimal)
    price_cdr(cdr, tariffs)  # warm caches (time zone, imports) outside the timing
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for _ in range(count):
            price_cdr(cdr, tariffs)
        best = min(best, time.process_time() - started)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="CDRs per timed run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the best one counts")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON line for scripts instead of the text"
    )
    arguments = parser.parse_args()
    rate = measure(arguments.count, arguments.runs)
    if arguments.json:
        report = {
            "cdrs_per_second": round(rate),
            "microseconds_per_cdr": round(1e6 / rate, 1),
            "runs": arguments.runs,
            "count": arguments.count,
        }
        print(json.dumps(report))
        return
    print(
        f"price_cdr: {rate:,.0f} CDRs/s on one core ({1e6 / rate:.1f} µs per CDR; "
        f"best of {arguments.runs} runs of {arguments.count:,})"
    )


if __name__ == "__main__":
    main()
