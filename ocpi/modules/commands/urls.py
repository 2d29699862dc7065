from ocpi.endpoints import Endpoint

ENDPOINTS: list[Endpoint] = []
urlpatterns = []
