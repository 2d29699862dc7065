"""Gunicorn in production (and in `make bench`): `gunicorn portal.wsgi -c gunicorn.conf.py`.

Two worker processes, each with a few threads: an OCPI call spends much of its time waiting on
PostgreSQL and Redis, and a thread lets the process serve another call meanwhile. Threads also
keep partners' connections alive between calls instead of closing them after every answer.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
# Long request lines and headers reach Django, which answers them in an OCPI envelope (414 for a
# URL over OCPI_MAX_URL_LENGTH, 401 for a malformed token). Only a request line over 1 MiB or a
# header over 64 KiB still gets gunicorn's own plain error page.
limit_request_line = 0
limit_request_field_size = 64 * 1024
limit_request_fields = 200


def post_worker_init(worker):
    """OCPI calls do not wait for their traffic log line: a thread writes the lines in batches."""
    from ocpi import traffic

    traffic.start_background_writer()


def worker_exit(server, worker):
    """A worker that stops (restart, deploy, shutdown) first writes the lines still queued."""
    from ocpi import traffic

    traffic.stop_background_writer()
