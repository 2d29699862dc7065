"""OCPI calls the tests make as a partner would."""

import json


def put(client, url: str, document) -> dict:
    response = client.put(url, json.dumps(document), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()
