"""PostgreSQL refuses to change or delete an issued document, its lines, or its stored PDF,
and a line whose gross is not its net plus its tax.

The models refuse it too; these triggers hold for raw SQL and bulk updates as well. The e-mail
state of a stored PDF (`emailed_at`, attempts, error) stays writable. SQLite (`make run`) has
only the models' guard.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION invoices_document_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'ISSUED' THEN
        RAISE EXCEPTION 'document % is issued: it cannot be changed or deleted', OLD.number
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoices_document_frozen BEFORE UPDATE OR DELETE ON invoices_document
    FOR EACH ROW EXECUTE FUNCTION invoices_document_frozen();

CREATE FUNCTION invoices_documentline_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (
        SELECT 1 FROM invoices_document WHERE id = OLD.document_id AND status = 'ISSUED'
    ) THEN
        RAISE EXCEPTION 'line % belongs to an issued document', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (
        SELECT 1 FROM invoices_document WHERE id = NEW.document_id AND status = 'ISSUED'
    ) THEN
        RAISE EXCEPTION 'an issued document gets no new or moved lines'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.gross <> NEW.net + NEW.tax THEN
        RAISE EXCEPTION 'line gross % is not net % + tax %', NEW.gross, NEW.net, NEW.tax
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoices_documentline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON invoices_documentline
    FOR EACH ROW EXECUTE FUNCTION invoices_documentline_frozen();

CREATE FUNCTION invoices_documentfile_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.pdf IS DISTINCT FROM OLD.pdf
        OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.document_id IS DISTINCT FROM OLD.document_id THEN
        RAISE EXCEPTION 'the PDF of document % is kept as issued', OLD.document_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoices_documentfile_kept BEFORE UPDATE OR DELETE ON invoices_documentfile
    FOR EACH ROW EXECUTE FUNCTION invoices_documentfile_kept();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS invoices_documentfile_kept ON invoices_documentfile;
DROP FUNCTION IF EXISTS invoices_documentfile_kept();
DROP TRIGGER IF EXISTS invoices_documentline_frozen ON invoices_documentline;
DROP FUNCTION IF EXISTS invoices_documentline_frozen();
DROP TRIGGER IF EXISTS invoices_document_frozen ON invoices_document;
DROP FUNCTION IF EXISTS invoices_document_frozen();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % in the messages are plpgsql's

    return run


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
