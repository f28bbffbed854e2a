"""gunicorn's settings for the web process.

    gunicorn --config wijkportaal/gunicorn_conf.py wijkportaal.wsgi

The Dockerfile's command (and so docker-compose.yml's web service) uses this file; options
given on the command line win over it. Threaded workers (gthread): a process serves several
requests at once, and a kept-alive connection between requests waits in the process's poller,
not in a thread. A new connection that sends nothing still holds a thread for up to 5 seconds
before gunicorn puts it aside, and a half-sent request holds one until it is complete, so
gunicorn alone can be stalled by a hundred idle connections: in docker-compose.yml nginx
stands in front of it and passes only whole requests (deploy/nginx.conf). docs/operations.md,
"Slow clients", has the measurements.

This file is read by gunicorn, not by Django: it imports nothing of the portal.
"""

from __future__ import annotations

import os

bind = os.environ.get("WIJKPORTAAL_WEB_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# Processes, and threads in each: requests served at the same time. Three processes suit the
# two cores of the reference machine (a process per core, one more for a request that waits
# on the database); each thread keeps its own pooled database connection.
workers = int(os.environ.get("WIJKPORTAAL_WEB_WORKERS", "3"))
threads = int(os.environ.get("WIJKPORTAAL_WEB_THREADS", "4"))
# Open connections per process, idle ones included; past it the process accepts no more.
worker_connections = 1000
# Seconds a request may run before its process is restarted; seconds to finish requests on
# a restart or stop.
timeout = 30
graceful_timeout = 30
# Seconds an idle keep-alive connection is kept, waiting in the poller.
keepalive = 5
# A process is replaced after this many requests (spread so they do not all restart at once),
# which bounds the growth of a slow memory leak.
max_requests = 2000
max_requests_jitter = 200

# Logs to the container's output: one access line per request to stdout, gunicorn's own
# messages to stderr. %(M)s is the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
