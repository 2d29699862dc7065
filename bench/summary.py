"""One line on an invoice figure measured by bench/run.sh, against its target (JSON on stdin).

bench/invoices.py | python bench/summary.py invoice
bench/invoice_run.py | python bench/summary.py invoice_run
"""

import json
import sys


def invoice(figures: dict) -> str:
    whole, alone = figures["render_embed_validate"], figures["weasyprint_alone"]
    return (
        f"p50 {whole['p50_ms']} ms, p95 {whole['p95_ms']} ms (target <= 1000 ms), "
        f"{whole['p95_ms'] / alone['p95_ms']:.2f}x WeasyPrint alone at p95 (target <= 1.3x), "
        f"validation warm p50 {figures['validate_cii_warm']['p50_ms']} ms (target <= 50 ms)"
    )


def invoice_run(figures: dict) -> str:
    return (
        f"{figures['issued']} issued in {figures['issue_s']} s "
        f"({figures['issue_workers']} processes), rendered in "
        f"{figures['render_s']} s (Celery worker, 2 processes): {figures['documents_per_s']} "
        f"documents/s, 10,000 in {figures['extrapolated_10000_min']} min (target <= 60 min)"
    )


if __name__ == "__main__":
    print({"invoice": invoice, "invoice_run": invoice_run}[sys.argv[1]](json.load(sys.stdin)))
