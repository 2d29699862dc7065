"""The project's Celery app, for the worker that the fault tests start and kill: Redis hands a
message whose worker died to another worker within seconds instead of hours."""

from portal.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
