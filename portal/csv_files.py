"""CSV downloads as spreadsheets read them: UTF-8 with a byte-order mark, and the separators of
the reader's language (a decimal comma, as in German, Dutch and French, means a semicolon
between fields). Amounts are rounded as the pages' money filter rounds them."""

import csv
from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol
from django.http import HttpResponse

from billing.money import round_minor
from portal.templatetags.portal_format import babel_locale


class CsvDownload:
    """An attachment named `filename`; write rows with `row`, return `response`."""

    def __init__(self, filename: str):
        self.locale = babel_locale()
        self.response = HttpResponse(content_type="text/csv; charset=utf-8")
        self.response["Content-Disposition"] = f'attachment; filename="{filename}"'
        self.response.write("\ufeff")
        delimiter = ";" if get_decimal_symbol(self.locale) == "," else ","
        self._writer = csv.writer(self.response, delimiter=delimiter)

    def row(self, values: list) -> None:
        self._writer.writerow(values)

    def decimal(self, value: Decimal, places: int) -> str:
        return format_decimal(
            value, format="0." + "0" * places if places else "0", locale=self.locale
        )

    def energy(self, value: Decimal) -> str:
        """kWh with 3 decimals, as the pages show them."""
        return self.decimal(value, 3)

    def money(self, value: Decimal | None, currency: str) -> str:
        """Half-up to the currency's minor unit, without symbol; empty for no amount."""
        if value is None:
            return ""
        rounded = round_minor(value, currency)
        return self.decimal(rounded, max(-rounded.as_tuple().exponent, 0))
