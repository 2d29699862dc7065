"""Charging profiles: our CPO's Receiver interface and our eMSP's Sender interface."""

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER
from ocpi.modules.chargingprofiles.declaration import CHARGINGPROFILES
from ocpi.modules.chargingprofiles.models import ChargingProfileRequest
from ocpi.modules.chargingprofiles.services import (
    active_charging_profile_receive,
    charging_profile_receive,
    charging_profile_result_receive,
)
from ocpi.transport.envelope import ocpi_response

Kind = ChargingProfileRequest.Kind


class ChargingProfileReceiverView(APIView):
    """Each method is answered at once with a ChargingProfileResponse; the result follows."""

    def put(self, request, session_id: str):
        return self._receive(request, Kind.SET, session_id, request.data)

    def get(self, request, session_id: str):
        return self._receive(request, Kind.GET, session_id, request.query_params.dict())

    def delete(self, request, session_id: str):
        return self._receive(request, Kind.CLEAR, session_id, request.query_params.dict())

    def _receive(self, request, kind: str, session_id: str, document: dict):
        stored = charging_profile_receive(
            connection=request.auth,
            party=CHARGINGPROFILES.our_party(request, RECEIVER),
            kind=kind,
            session_id=session_id,
            document=document,
        )
        return ocpi_response({"result": stored.response_result, "timeout": stored.timeout})


class ChargingProfileSenderView(APIView):
    """POST {uid}: the result of a request we sent (our response_url names its uid).
    PUT {session_id}: the partner CPO pushes a changed ActiveChargingProfile."""

    def post(self, request, identifier: str):
        charging_profile_result_receive(
            connection=request.auth, uid=identifier, document=request.data
        )
        return ocpi_response()

    def put(self, request, identifier: str):
        active_charging_profile_receive(
            connection=request.auth, session_id=identifier, document=request.data
        )
        return ocpi_response()
