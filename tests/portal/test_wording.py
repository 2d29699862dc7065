"""Partner failures are said in words, whatever text the failure left behind."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.staff.wording import partner_error_in_words


@pytest.mark.parametrize(
    ("stored", "words"),
    [
        (
            "GET https://p.example/versions answered HTTP 401, OCPI status 2001: invalid token",
            "the partner answered HTTP 401: invalid token",
        ),
        (
            "GET https://p.example/ocpi/versions failed after 4 attempt(s): ConnectionError: "
            "HTTPConnectionPool(host='p.example', port=443): Max retries exceeded",
            "the partner did not answer",
        ),
        ("PUT https://p.example/x failed after 2 attempt(s): HTTP 503", "the partner answered "
         "HTTP 503 every time we tried"),
        ("HTTP 500, OCPI status None: no message", "the partner answered HTTP 500"),
        ("ReadTimeout: HTTPSConnectionPool(host='p.example'): Read timed out.",
         "the partner did not answer in time"),
        ("Connection is suspended, not registered",
         "the connection is suspended, so nothing was sent"),
        ("GET x answered HTTP 200 with a body that is not JSON: '<html>'",
         "the partner answered HTTP 200 with something that is not OCPI JSON"),
    ],
)  # fmt: skip
def test_known_failures_in_words(stored, words):
    assert partner_error_in_words(stored) == words


@given(st.text(max_size=300))
def test_any_stored_text_gives_words_and_nothing_for_no_error(text):
    words = partner_error_in_words(text)
    assert isinstance(words, str)
    assert bool(words) == bool(text.split())
