"""Rendering a billing document: p50/p95 of the whole PDF and of its parts, printed as JSON.

    .venv/bin/python bench/invoices.py [--runs 40]

Measures, for one single-page driver invoice (a session over a tariff change: five price
lines and Eichrecht data), warm: the complete `render_pdf` (CII written and validated against
the XSD and the EN 16931 schematron, page rendered by WeasyPrint as PDF/A-3b with the XML and
the signed data embedded); WeasyPrint alone on the same page; and `validate_cii` alone.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from billing.invoices.einvoice import cii_xml, validate_cii  # noqa: E402
from billing.invoices.render import (  # noqa: E402
    NO_FETCHING,
    DocumentHTML,
    page_style,
    render_html,
    render_pdf,
)
from tests.support.invoice_snapshots import multi_tariff  # noqa: E402


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1),
    }


def timed(action, runs: int) -> list[float]:
    action()  # warm: fonts, templates, the compiled schematron
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    snapshot = multi_tariff()
    xml = cii_xml(snapshot)
    html = render_html(snapshot)
    style, fonts = page_style()

    compile_start = time.perf_counter()
    validate_cii(xml)
    first_validation = time.perf_counter() - compile_start

    results = {
        "document": "single-page driver invoice, 1 session, 5 price lines, Eichrecht data",
        "runs": runs,
        "render_embed_validate": percentiles(timed(lambda: render_pdf(snapshot), runs)),
        "weasyprint_alone": percentiles(
            timed(
                lambda: (
                    DocumentHTML(string=html, url_fetcher=NO_FETCHING)
                    .render(stylesheets=[style], font_config=fonts)
                    .write_pdf(pdf_variant="pdf/a-3b")
                ),
                runs,
            )
        ),
        "validate_cii_warm": percentiles(timed(lambda: validate_cii(xml), runs)),
        "validate_cii_first_call_ms": round(first_validation * 1000, 1),
        "pdf_bytes": len(render_pdf(snapshot)),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
