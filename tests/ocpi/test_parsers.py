import pytest

from ocpi.models import TrafficLog


@pytest.mark.parametrize(
    ("body", "http_status", "message"),
    [
        # Valid JSON has reached the OCPI layer: the OCPI status tells the error, HTTP says 200.
        ('{"token": "abc\\u0000def"}', 200, "token: NUL characters are not allowed"),
        ('{"a": NaN}', 400, "NaN"),
        ('{"a": ', 400, "JSON"),
        (b'{"a": "\xff"}', 400, "JSON"),
    ],
)
def test_unusable_json_is_2001_and_logged(partner_client, body, http_status, message):
    response = partner_client.put(
        "/ocpi/2.2.1/emsp/tariffs/DE/ABC/T1", body, content_type="application/json"
    )
    assert response.status_code == http_status
    assert response.json()["status_code"] == 2001
    assert message in response.json()["status_message"]
    assert TrafficLog.objects.filter(http_status=http_status, ocpi_status=2001).exists()


def test_raw_nul_byte_is_answered_and_still_logged(partner_client):
    response = partner_client.put(
        "/ocpi/2.2.1/emsp/tariffs/DE/ABC/T1", b'{"a": "x\x00y"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["status_code"] == 2001
    logged = TrafficLog.objects.get(http_status=400)
    assert "\\u0000" in logged.request_body
