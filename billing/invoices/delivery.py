"""After an issued document is committed: its PDF, rendered once and kept, then its e-mail.

The PDF is stored under a random name (`DocumentFile`, never replaced) with its SHA-256, so a
download is the very file that was sent. E-mail goes through Django's mail backend; a failure
is recorded and raised so the task tries again later.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from billing.invoices.models import Document, DocumentFile
from billing.invoices.snapshot import DocumentKind, snapshot_from_json

SUBJECTS = {
    DocumentKind.INVOICE: "Your invoice {number}",
    DocumentKind.CREDIT_NOTE: "Your credit note {number}",
    DocumentKind.STATEMENT: "Settlement statement {number}",
    DocumentKind.SELF_BILLED: "Self-billed statement {number}",
}


class DeliveryError(Exception):
    """The e-mail could not be sent this time."""


def document_pdf_store(*, document: Document) -> DocumentFile:
    """The document's stored PDF, rendered now if it has none yet."""
    from billing.invoices.render import render_pdf  # late: WeasyPrint is slow to import

    existing = DocumentFile.objects.filter(document=document).first()
    if existing is not None:
        return existing
    # Documents issued before the e-invoice was stored with them have it written anew.
    stored_xml = document.einvoice_xml.encode() if document.einvoice_xml else None
    pdf = render_pdf(snapshot_from_json(document.snapshot), einvoice_xml=stored_xml)
    with transaction.atomic():
        # A second worker rendering the same document at the same time keeps the first file.
        locked = Document.objects.select_for_update().get(pk=document.pk)
        existing = DocumentFile.objects.filter(document=locked).first()
        if existing is not None:
            return existing
        stored = DocumentFile(document=locked, sha256=hashlib.sha256(pdf).hexdigest())
        stored.pdf.save(f"{document.pk}.pdf", ContentFile(pdf), save=False)
        stored.save()
        return stored


def pdf_filename(document: Document) -> str:
    return f"{document.number or document.pk}.pdf".replace("/", "-")


def stored_pdf_response(*, document: Document) -> FileResponse:
    """The document's stored PDF as a download, byte for byte as sent (rendered now if its
    delivery has not yet), tagged with its SHA-256 and cached by the reader only."""
    stored = document_pdf_store(document=document)
    response = FileResponse(
        stored.pdf.open("rb"),
        content_type="application/pdf",
        filename=pdf_filename(document),
        as_attachment=True,
    )
    response["ETag"] = f'"{stored.sha256}"'
    response["Cache-Control"] = "private"
    return response


def document_deliver(*, document_id: int) -> None:
    document = Document.objects.select_related("account").get(pk=document_id)
    if document.status != Document.Status.ISSUED:
        return
    stored = document_pdf_store(document=document)
    if stored.emailed_at is not None or not document.account.email:
        return
    message = EmailMessage(
        subject=SUBJECTS[document.kind].format(number=document.number),
        body=(
            f"Dear {document.account.name},\n\nattached is {document.get_kind_display().lower()} "
            f"{document.number} of {document.issue_date:%d %B %Y}.\n\n{document.issuer.name}"
        ),
        from_email=document.issuer.email or settings.DEFAULT_FROM_EMAIL,
        to=[document.account.email],
    )
    with stored.pdf.open("rb") as pdf:
        message.attach(pdf_filename(document), pdf.read(), "application/pdf")
    try:
        message.send()
    except Exception as error:
        DocumentFile.objects.filter(pk=stored.pk).update(
            email_attempts=stored.email_attempts + 1, email_error=str(error)[:500]
        )
        raise DeliveryError(str(error)) from error
    DocumentFile.objects.filter(pk=stored.pk).update(
        emailed_at=timezone.now(), email_attempts=stored.email_attempts + 1, email_error=""
    )
