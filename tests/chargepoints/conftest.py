"""Fixtures shared with the OCPI tests: our CPO's location LOC1 and the partner's eMSP, which
receives the results of its commands."""

from tests.ocpi.conftest import emsp, our_location  # noqa: F401
