"""gunicorn's threaded worker, taking a new connection only while one of its threads is free.

gunicorn's own gthread worker accepts every connection it can (up to worker_connections, 1,000), and kept-alive
connections stay with the worker that accepted them. When connections open together (nginx filling its upstream
pool, a load balancer, a client's pool), one worker can take them all and its siblings sit idle: seen here with 16
connections, one of two workers served everything at a third of the pair's rate, in one run of four.

This worker stops listening while every thread has a request in hand (running or queued), so a connection that
arrives then goes to a sibling with a free thread: the accept-when-idle rule of gunicorn's sync workers, kept for
threads. While it stays that busy it still takes one new connection every BUSY_ACCEPT_SECONDS: when every worker
is saturated by requests on connections it already holds, a new connection must not wait for the load to end (a
first version without this left a booking 3.5 s in the backlog at full load). Requests on connections already
accepted are served as before. The hooks it uses (enqueue_req, finish_request, set_accept_enabled) are gunicorn
27's.

    gunicorn --worker-class stvos_shared.gunicorn_worker.BalancedThreadWorker  (set in stvos_shared.gunicorn_conf)
"""
from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# How often a worker whose threads are all busy still takes a connection: long next to a sibling's wake-up (a
# sibling with a free thread is waiting on the socket and takes the connection first), short next to a request.
BUSY_ACCEPT_SECONDS = 0.005


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_hand = 0  # requests handed to the thread pool and not finished (main thread only)
        self.busy_since = 0.0  # when the last connection was taken while every thread was busy, or busy began

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and (self.in_hand < self.cfg.threads
                                                or time.monotonic() - self.busy_since >= BUSY_ACCEPT_SECONDS))

    def enqueue_req(self, conn: Any) -> None:
        self.in_hand += 1
        if self.in_hand >= self.cfg.threads and self._accepting:
            self.busy_since = time.monotonic()
            super().set_accept_enabled(False)
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.in_hand -= 1
        super().finish_request(conn, fs)
