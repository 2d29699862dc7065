"""A driver's invoices and credit notes: the list, and each document's PDF, to its owner only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from billing.invoices import selectors
from billing.invoices.delivery import document_pdf_store, pdf_filename
from billing.invoices.models import Document


@login_required
def driver_invoices(request):
    documents = selectors.driver_documents(user=request.user)
    return render(request, "portal/driver_invoices.html", {"documents": documents})


@login_required
def driver_invoice_pdf(request, document_id: int):
    """The stored PDF, byte for byte as sent (rendered now if the task has not yet)."""
    try:
        document = selectors.driver_document_get(user=request.user, document_id=document_id)
    except Document.DoesNotExist:
        raise Http404("No such invoice") from None
    stored = document_pdf_store(document=document)
    response = FileResponse(
        stored.pdf.open("rb"), content_type="application/pdf", filename=pdf_filename(document)
    )
    response["ETag"] = f'"{stored.sha256}"'
    response["Cache-Control"] = "private"
    return response
