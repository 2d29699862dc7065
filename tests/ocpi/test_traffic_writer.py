"""The traffic log's background writer never loses a line because of another line."""

import pytest

from ocpi import traffic
from ocpi.models import TrafficLog

pytestmark = pytest.mark.django_db(transaction=True)


def line(url: str, **fields) -> TrafficLog:
    return TrafficLog(
        direction=TrafficLog.Direction.INBOUND,
        method="GET",
        url=url,
        http_status=200,
        duration_ms=1,
        **fields,
    )


def test_a_line_the_database_refuses_costs_the_other_lines_of_its_batch_nothing():
    writer = traffic.BackgroundWriter()
    refused = line("/refused", request_id="x" * 65)  # longer than its column
    writer._write([line("/a"), refused, line("/b")])

    assert sorted(TrafficLog.objects.values_list("url", flat=True)) == ["/a", "/b"]
