"""The last_updated cascade holds after any sequence of EVSE and Connector writes."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi.modules.locations.models import Location
from ocpi.modules.locations.services import (
    location_patch_from_partner,
    location_put_from_partner,
    store_from_partner,
)
from ocpi.transport.exceptions import UnknownLocation
from ocpi.validation import ocpi_time
from tests.support.builders import connector, evse, location

START = datetime(2024, 1, 1, tzinfo=UTC)


def moment(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


writes = st.lists(
    st.tuples(
        st.sampled_from(["put", "patch"]),
        st.sampled_from(["EVSE1", "EVSE2"]),
        st.sampled_from([None, "1", "2"]),  # None: the write targets the EVSE itself
        st.integers(min_value=0, max_value=30),  # minutes after the location's own timestamp
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=writes)
def test_every_parent_is_at_least_as_recent_as_its_children(partner, writes):
    Location.objects.all().delete()
    store_from_partner(connection=partner, document=location(last_updated=moment(10)))
    key = {"connection": partner, "country_code": "DE", "party_id": "ABC", "location_id": "LOC1"}

    for method, evse_uid, connector_id, minutes in writes:
        when = moment(minutes)
        try:
            if method == "put" and connector_id is None:
                location_put_from_partner(
                    **key, evse_uid=evse_uid, document=evse(evse_uid, last_updated=when)
                )
            elif method == "put":
                location_put_from_partner(
                    **key,
                    evse_uid=evse_uid,
                    connector_id=connector_id,
                    document=connector(connector_id, last_updated=when),
                )
            else:
                change = {"status": "BLOCKED"} if connector_id is None else {"max_amperage": 32}
                location_patch_from_partner(
                    **key,
                    evse_uid=evse_uid,
                    connector_id=connector_id,
                    patch={**change, "last_updated": when},
                )
        except UnknownLocation:
            pass  # a write into an EVSE or Connector not (yet) there

    row = Location.objects.get()
    document = row.document
    assert row.last_updated == ocpi_time(document["last_updated"])
    for stored_evse in document["evses"]:
        assert ocpi_time(document["last_updated"]) >= ocpi_time(stored_evse["last_updated"])
        for stored_connector in stored_evse["connectors"]:
            assert ocpi_time(stored_evse["last_updated"]) >= ocpi_time(
                stored_connector["last_updated"]
            )
