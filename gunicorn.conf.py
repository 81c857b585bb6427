"""gunicorn's settings (it reads this file from the directory it starts in).

Chosen from `make loadtest` on a 2-core machine (README, "Production"): see the figures
there before changing them. Command-line flags win over these.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one request at a time each: the pages spend their time in Python (and a
# log-in in its password hash), so threads only queue inside a worker. Measured with
# `make loadtest` on a busy 2-core machine: 3 sync workers 7.6 req/s, gunicorn p95 0.6 s;
# 3 workers × 4 threads 8.8 req/s but p95 2.8 s and log-ins timing out; 5 sync workers
# 8.6 req/s, p95 1.0 s and slower log-ins. WEB_CONCURRENCY changes it (about 1.5 × cores).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
threads = 1
# A request still running after this many seconds is killed and logged (WORKER TIMEOUT);
# the slowest page (a packet of printed forms) takes a few seconds.
timeout = 30
# On a restart or deploy, requests in flight get this long to finish.
graceful_timeout = 30
# A TLS-terminating proxy in front keeps connections to clients; sync workers close theirs.
keepalive = 2
# Recycle a worker now and then, so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# The last field is the request time in milliseconds (what `make loadtest` reads).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
# No control socket: it would be shared (~/.gunicorn/gunicorn.ctl) by every gunicorn the
# user runs, and nothing here uses it.
control_socket_disable = True
