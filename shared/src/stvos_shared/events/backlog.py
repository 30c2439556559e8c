"""The outbox's backlog as Prometheus gauges, read from the database at each scrape."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ..db import Database
from .outbox import Outbox

log = logging.getLogger("stvos.metrics")


class OutboxBacklog(Collector):
    """stvos_outbox_pending and stvos_outbox_oldest_pending_age_seconds, read from the database at each scrape."""

    def __init__(self, service: str, db: Database, outbox: Outbox) -> None:
        self.service, self.db, self.outbox = service, db, outbox

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (GaugeMetricFamily("stvos_outbox_pending", "Outbox events not yet confirmed by the broker.",
                                  labels=["service"]),
                GaugeMetricFamily("stvos_outbox_oldest_pending_age_seconds",
                                  "Age of the oldest event still waiting in the outbox (0: none).", labels=["service"]))

    def describe(self) -> list[GaugeMetricFamily]:
        """The names, without reading the database (the registry asks when the collector is registered)."""
        return list(self._families())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending, age = self._families()
        try:
            with self.db.unit_of_work(write=False) as session:
                count, oldest = self.outbox.backlog(session)
        except Exception:  # an unreachable database must not fail the scrape of everything else
            log.warning("cannot read the outbox backlog", exc_info=True)
            return
        pending.add_metric([self.service], count)
        age.add_metric([self.service], (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0)
        yield pending
        yield age
