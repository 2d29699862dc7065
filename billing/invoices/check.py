"""A structural PDF/A-3 and Factur-X check of a billing document's PDF, and of its e-invoice.

No full PDF/A validator (veraPDF) runs in Python, so this checks what a Factur-X reader and an
archive rely on: the PDF/A-3 part and conformance B in the XMP, an sRGB output intent, every
font embedded, no encryption, exactly one `factur-x.xml` listed in /AF with relationship Data,
the Factur-X XMP extension schema and values, and then the EN 16931 findings of the XML
(`validate_cii`). `manage.py invoice_check FILE.pdf` prints the same findings.
"""

import io

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from billing.invoices.einvoice import FACTURX_FILENAME, Finding, validate_cii

XMP_NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _fatal(rule_id: str, message: str, location: str = "") -> Finding:
    return Finding(rule_id=rule_id, severity="fatal", message=message, location=location)


def _embedded(reader: PdfReader) -> list[tuple[str, DictionaryObject, bytes]]:
    """Each entry of the EmbeddedFiles name tree, duplicates included: name, spec, bytes."""
    entries = []
    names = reader.trailer["/Root"].get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    for index in range(0, len(names), 2):
        spec = names[index + 1].get_object()
        entries.append((str(names[index]), spec, spec["/EF"]["/F"].get_object().get_data()))
    return entries


def embedded_files(reader: PdfReader) -> dict[str, tuple[DictionaryObject, bytes]]:
    """Each attachment by name: its file specification and its bytes."""
    return {name: (spec, data) for name, spec, data in _embedded(reader)}


def attachments(pdf: bytes) -> dict[str, bytes]:
    """The files embedded in a PDF, by name."""
    reader = PdfReader(io.BytesIO(pdf))
    return {name: data for name, (_, data) in embedded_files(reader).items()}


def _xmp_value(xmp: etree._Element, name: str) -> str | None:
    """A property written as an element or as an attribute of an rdf:Description."""
    prefix, local = name.split(":")
    qualified = f"{{{XMP_NAMESPACES[prefix]}}}{local}"
    for description in xmp.iter(f"{{{XMP_NAMESPACES['rdf']}}}Description"):
        if qualified in description.attrib:
            return description.attrib[qualified]
        element = description.find(qualified)
        if element is not None:
            return (element.text or "").strip()
    return None


def _xmp_findings(reader: PdfReader) -> list[Finding]:
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return [_fatal("PDFA-XMP", "the catalog has no XMP metadata stream", "/Metadata")]
    try:
        xmp = etree.fromstring(metadata.get_object().get_data())
    except etree.XMLSyntaxError as error:
        return [_fatal("PDFA-XMP", f"the XMP metadata is not XML: {error}", "/Metadata")]
    findings = []
    if _xmp_value(xmp, "pdfaid:part") != "3" or _xmp_value(xmp, "pdfaid:conformance") != "B":
        findings.append(
            _fatal("PDFA-ID", "the XMP does not declare PDF/A-3 conformance B", "pdfaid")
        )
    schemas = [
        (element.text or "").strip()
        for element in xmp.iter(f"{{{XMP_NAMESPACES['pdfaSchema']}}}namespaceURI")
    ]
    if XMP_NAMESPACES["fx"] not in schemas:
        findings.append(
            _fatal("FX-XMP-SCHEMA", "the XMP lacks the Factur-X PDF/A extension schema", "fx")
        )
    expected = {
        "fx:DocumentFileName": FACTURX_FILENAME,
        "fx:DocumentType": "INVOICE",
        "fx:ConformanceLevel": "EN 16931",
    }
    for name, value in expected.items():
        found = _xmp_value(xmp, name)
        if found != value:
            findings.append(_fatal("FX-XMP", f"{name} is {found!r}, expected {value!r}", name))
    return findings


def _output_intent_findings(reader: PdfReader) -> list[Finding]:
    intents = reader.trailer["/Root"].get("/OutputIntents", [])
    for intent in intents:
        intent = intent.get_object()
        if intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent:
            return []
    return [_fatal("PDFA-OUTPUT-INTENT", "no PDF/A output intent with an ICC profile")]


def _fonts(resources, seen: set[int]):
    """Every font dictionary used by a page's resources, form XObjects included."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        key = id(xobject.get_object())
        if key in seen:
            continue
        seen.add(key)
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def _font_findings(reader: PdfReader) -> list[Finding]:
    findings = []
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        for font in _fonts(page.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by the PDF's own glyph procedures
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor.get_object() for key in FONT_FILES):
                findings.append(
                    _fatal(
                        "PDFA-FONT",
                        f"font {font.get('/BaseFont')} is not embedded",
                        f"page {number}",
                    )
                )
    return findings


def _facturx_attachment_findings(reader: PdfReader) -> tuple[list[Finding], bytes | None]:
    files = _embedded(reader)
    entries = reader.trailer["/Root"].get("/AF", [])
    associated = [entry.get_object() for entry in entries]
    findings = []
    xml = None
    facturx = [(spec, data) for name, spec, data in files if name == FACTURX_FILENAME]
    listed = [spec for spec in associated if spec.get("/F") == FACTURX_FILENAME]
    if len(facturx) != 1 or len(listed) != 1:
        findings.append(
            _fatal(
                "FX-ATTACHMENT",
                f"expected exactly one {FACTURX_FILENAME} in EmbeddedFiles and /AF, found "
                f"{len(facturx)} and {len(listed)}",
                "/Names/EmbeddedFiles",
            )
        )
    if facturx:
        spec, xml = facturx[0]
        if spec.get("/AFRelationship") != "/Data":
            findings.append(
                _fatal(
                    "FX-AFRELATIONSHIP",
                    f"{FACTURX_FILENAME} has AFRelationship {spec.get('/AFRelationship')}, "
                    "expected /Data",
                    FACTURX_FILENAME,
                )
            )
    for name, spec, _ in files:
        if "/AFRelationship" not in spec:
            findings.append(_fatal("PDFA-AF", f"{name} has no AFRelationship", name))
    distinct = {getattr(entry, "idnum", id(entry)) for entry in entries}
    if len(distinct) != len(entries) or len(entries) != len(files):
        findings.append(_fatal("PDFA-AF", "/AF must list every embedded file exactly once", "/AF"))
    return findings, xml


def check_pdf(pdf: bytes) -> list[Finding]:
    """The PDF/A-3 and Factur-X findings of a PDF, then the EN 16931 findings of its XML."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
    except Exception as error:  # pypdf raises several types for a damaged file
        return [_fatal("PDF", f"not a readable PDF: {error}")]
    if reader.is_encrypted:
        return [_fatal("PDFA-ENCRYPT", "the PDF is encrypted")]
    findings = [
        *_xmp_findings(reader),
        *_output_intent_findings(reader),
        *_font_findings(reader),
    ]
    attachment_findings, xml = _facturx_attachment_findings(reader)
    findings.extend(attachment_findings)
    if xml is not None:
        findings.extend(validate_cii(xml))
    return findings
