"""Commands: our CPO's Receiver interface and our eMSP's Sender interface (result callbacks)."""

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER
from ocpi.modules.commands.declaration import COMMANDS
from ocpi.modules.commands.services import command_receive, command_result_receive
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.status import SUCCESS


class CommandReceiverView(APIView):
    """POST {command}: answered at once with a CommandResponse; the result follows later."""

    def post(self, request, command: str):
        stored = command_receive(
            connection=request.auth,
            party=COMMANDS.our_party(request, RECEIVER),
            command=command,
            document=request.data,
        )
        data = {"result": stored.response_result, "timeout": stored.timeout}
        if stored.response_message:
            data["message"] = stored.response_message
        # An unknown location is status 2003 with the REJECTED response as data (mod_commands).
        unknown_location = stored.response_ocpi_status != SUCCESS
        return ocpi_response(
            data,
            status_code=stored.response_ocpi_status,
            status_message=stored.response_message[0]["text"] if unknown_location else None,
            http_status=404 if unknown_location else 200,
        )


class CommandResultView(APIView):
    """POST {command}/{uid}: the partner CPO reports the result of a command we sent."""

    def post(self, request, command: str, uid: str):
        command_result_receive(
            connection=request.auth, command=command, uid=uid, document=request.data
        )
        return ocpi_response()
