from ocpi import tokens
from tests.support.connections import PARTNER_TOKEN


def test_versions_lists_every_version_offered_in_the_envelope(partner_client):
    response = partner_client.get("/ocpi/versions")
    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 1000
    assert "timestamp" in body
    assert body["data"] == [
        {"version": "2.1.1", "url": "http://127.0.0.1:8000/ocpi/2.1.1"},
        {"version": "2.2.1", "url": "http://127.0.0.1:8000/ocpi/2.2.1"},
        {"version": "2.3.0", "url": "http://127.0.0.1:8000/ocpi/2.3.0"},
    ]


def test_version_details_lists_credentials_for_both_roles(partner_client):
    body = partner_client.get("/ocpi/2.2.1/").json()
    credentials = [e for e in body["data"]["endpoints"] if e["identifier"] == "credentials"]
    assert {e["role"] for e in credentials} == {"SENDER", "RECEIVER"}


def test_plain_token_is_accepted_too(client, partner):
    response = client.get("/ocpi/versions", HTTP_AUTHORIZATION=f"Token {PARTNER_TOKEN}")
    assert response.status_code == 200


def test_base64_with_trailing_newline_is_accepted(client, partner):
    import base64

    encoded = base64.b64encode((PARTNER_TOKEN + "\n").encode()).decode()
    response = client.get("/ocpi/versions", HTTP_AUTHORIZATION=f"Token {encoded}")
    assert response.status_code == 200


def test_unknown_token_is_401_in_the_envelope(client, partner):
    header = tokens.authorization_header("not-a-token", plain=False)
    response = client.get("/ocpi/versions", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["status_code"] == 2000


def test_new_tokens_are_letters_and_digits_only():
    generated = {tokens.new_token() for _ in range(200)}
    assert len(generated) == 200
    assert all(token.isalnum() and len(token) == 43 for token in generated)
