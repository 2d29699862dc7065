"""A document's CSV annex: one row per CDR it bills, then the disputed CDRs it leaves out.

For a settlement statement this is the machine-readable list of exactly the CDRs it covers
(their ids are what the partner's CDRs carry as `invoice_reference_id` on our CPO's side).
UTF-8 with a BOM, so that spreadsheet programs read it right; ISO 8601 times with offset.
"""

import csv
import io

from billing.invoices.models import Document
from billing.invoices.snapshot import snapshot_from_json

COLUMNS = [
    "cdr_id",
    "status",
    "evse_id",
    "cpo_party",
    "start",
    "end",
    "energy_kwh",
    "net",
    "vat_category",
    "vat_rate",
    "vat",
    "gross",
    "currency",
    "claimed",
    "our_price",
    "difference",
]


def document_csv(document: Document) -> str:
    snapshot = snapshot_from_json(document.snapshot)
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    for line in snapshot.lines:
        writer.writerow(
            [
                line.cdr_id,
                "credited" if document.kind == "CREDIT_NOTE" else "billed",
                line.evse_id,
                line.cpo_party,
                line.start.isoformat(),
                line.end.isoformat(),
                line.energy_kwh,
                line.net,
                line.tax_category,
                line.tax_rate,
                line.tax,
                line.gross,
                snapshot.currency,
                "",
                "",
                "",
            ]
        )
    for disputed in document.disputed:
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            cdr_id=disputed["cdr_id"],
            status="disputed",
            currency=snapshot.currency,
            claimed=disputed["claimed"],
            our_price=disputed["ours"],
            difference=disputed["difference"],
        )
        writer.writerow(row.values())
    return output.getvalue()
