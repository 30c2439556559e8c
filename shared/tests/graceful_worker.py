"""A relay or a consumer of the graceful-stop test as a process of its own, stopped by SIGTERM like production's.

    python -m shared.tests.graceful_worker relay|consumer DIRECTORY AMQP_URL EXCHANGE QUEUE
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from stvos_shared.events import Event
from stvos_shared.events.rabbitmq import RabbitTransport
from stvos_shared.events.relay import Relay
from stvos_shared.signals import stop_on_signals

from shared.tests.test_rabbitmq_transport import Pipeline


def main(role: str, directory: str, url: str, exchange: str, queue: str) -> int:
    stop = stop_on_signals()
    pipeline = Pipeline(Path(directory))
    transport = RabbitTransport(url, exchange, max_backoff=1.0)
    if role == "relay":
        relay = Relay(pipeline.producer, pipeline.outbox, transport, batch_size=50, service="graceful")
        print("ready", flush=True)
        relay.run(stop, interval=0.02)
        transport.close()
    else:
        def handle(event: Event) -> None:
            time.sleep(0.01)  # a handler that takes a while: a stop most likely finds one in hand
            pipeline.consumer.handle(event)

        transport.subscribe(queue, pipeline.consumer.bindings, handle)
        print("ready", flush=True)
        transport.run(stop, poll=0.1)
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
