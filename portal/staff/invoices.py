"""The staff pages of billing documents: the list, one document, its PDF, cancelling it by a
credit note (finance), and invoice runs with starting one (finance). Thin views over
portal.staff.selectors and the services of billing.invoices."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from billing.invoices.delivery import stored_pdf_response
from billing.invoices.models import Document
from billing.invoices.services import DocumentNotIssuable, invoice_cancel
from billing.invoices.snapshot import DocumentKind
from portal.staff import selectors
from portal.staff.forms import DocumentFilterForm, InvoiceCancelForm, InvoiceRunForm
from portal.staff.roles import FINANCE, staff_view
from portal.staff.services import invoice_run_queue


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _document_or_404(document_id: int) -> Document:
    try:
        return selectors.document_get(document_id=document_id)
    except Document.DoesNotExist:
        raise Http404("No such document") from None


def _cancellable(document: Document) -> bool:
    return document.status == Document.Status.ISSUED and document.kind != DocumentKind.CREDIT_NOTE


@staff_view()
def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    page = selectors.paginate(
        selectors.document_list(filters=form.filters()), request.GET.get("page")
    )
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "portal/staff/invoice_list.html", context)


@staff_view()
def document_detail(request, document_id: int):
    document = _document_or_404(document_id)
    context = {
        "document": document,
        "lines": document.lines.select_related("cdr").order_by("position"),
        "tax_summary": selectors.document_tax_summary(document=document),
        "corrections": document.corrections.order_by("pk"),
        "stored": getattr(document, "file", None),
        "cancellable": _cancellable(document),
    }
    return render(request, "portal/staff/invoice_detail.html", context)


@staff_view()
def document_pdf(request, document_id: int):
    """The stored PDF, byte for byte as sent (rendered now if the task has not yet)."""
    document = _document_or_404(document_id)
    if document.status != Document.Status.ISSUED:
        raise Http404("A draft has no PDF")
    return stored_pdf_response(document=document)


@staff_view(FINANCE)
def document_cancel(request, document_id: int):
    """A confirmation page; on POST, a credit note for all the document still bills."""
    document = _document_or_404(document_id)
    if not _cancellable(document):
        raise Http404("Only an issued invoice or statement is cancelled")
    form = InvoiceCancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                note = invoice_cancel(document_id=document.pk, reason=form.cleaned_data["reason"])
            except DocumentNotIssuable as error:
                form.add_error(None, str(error))
            else:
                if note.status == Document.Status.ISSUED:
                    messages.success(
                        request, _("Credit note %(number)s issued.") % {"number": note.number}
                    )
                else:
                    messages.error(request, _("The credit note failed its check; it is a draft."))
                return redirect("staff:invoice", document_id=note.pk)
        status = 400
    context = {"document": document, "form": form}
    return render(request, "portal/staff/invoice_cancel.html", context, status=status)


def _runs_page(request, *, form=None, status=200):
    context = {"runs": selectors.invoice_runs(), "form": form or InvoiceRunForm()}
    return render(request, "portal/staff/invoice_runs.html", context, status=status)


@staff_view()
def run_list(request):
    return _runs_page(request)


@staff_view(FINANCE)
def run_start(request):
    if request.method != "POST":
        return redirect("staff:invoice-runs")
    form = InvoiceRunForm(request.POST)
    if not form.is_valid():
        return _runs_page(request, form=form, status=400)
    run = invoice_run_queue(period=form.cleaned_data["period"])
    messages.success(request, _("Run %(period)s queued.") % {"period": run.period})
    return redirect("staff:invoice-runs")
