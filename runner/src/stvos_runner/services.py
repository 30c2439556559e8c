"""The five services, by the parts of their shape the runner composes: settings, composition root, app, tables."""
from __future__ import annotations

from dataclasses import dataclass, replace
from types import ModuleType

from sqlalchemy import MetaData
from stvos_auth import app as auth_app
from stvos_auth import bootstrap as auth_bootstrap
from stvos_auth import config as auth_config
from stvos_auth.adapters import orm as auth_orm
from stvos_booking import app as booking_app
from stvos_booking import bootstrap as booking_bootstrap
from stvos_booking import config as booking_config
from stvos_booking.adapters import orm as booking_orm
from stvos_catalog import app as catalog_app
from stvos_catalog import bootstrap as catalog_bootstrap
from stvos_catalog import config as catalog_config
from stvos_catalog.adapters import orm as catalog_orm
from stvos_partner import app as partner_app
from stvos_partner import bootstrap as partner_bootstrap
from stvos_partner import config as partner_config
from stvos_partner.adapters import orm as partner_orm
from stvos_portal import app as portal_app
from stvos_portal import bootstrap as portal_bootstrap
from stvos_portal import config as portal_config
from stvos_portal.adapters import orm as portal_orm
from stvos_shared.container import ServiceContainer
from stvos_shared.service_client import InProcApps


@dataclass(frozen=True)
class ServiceParts:
    """config.Settings, bootstrap.build, app.create_app and adapters/orm.py's metadata of one service."""

    config: ModuleType
    bootstrap: ModuleType
    app: ModuleType
    orm: ModuleType

    @property
    def metadata(self) -> MetaData:
        return self.orm.metadata


PARTS: dict[str, ServiceParts] = {
    "auth": ServiceParts(auth_config, auth_bootstrap, auth_app, auth_orm),
    "catalog": ServiceParts(catalog_config, catalog_bootstrap, catalog_app, catalog_orm),
    "booking": ServiceParts(booking_config, booking_bootstrap, booking_app, booking_orm),
    "portal": ServiceParts(portal_config, portal_bootstrap, portal_app, portal_orm),
    "partner": ServiceParts(partner_config, partner_bootstrap, partner_app, partner_orm),
}
SERVICES = tuple(PARTS)


def metadata(service: str) -> MetaData:
    """The tables of `service` (what its migrations build)."""
    return PARTS[service].metadata


def build_containers(var_dir: str, database_urls: dict[str, str] | None = None,
                     apps: InProcApps | None = None, keks: tuple[str, ...] = ()) -> dict[str, ServiceContainer]:
    """Each service's composition root on its embedded settings (or the given database URLs, and the given
    key-encryption keys of the signing keys instead of var/signing-key.kek)."""
    containers = {}
    for name, parts in PARTS.items():
        settings = parts.config.Settings.embedded(var_dir)
        if database_urls and name in database_urls:
            settings = replace(settings, database_url=database_urls[name])
        if keks and hasattr(settings, "signing_key_kek"):
            settings = replace(settings, signing_key_kek=keks)
        containers[name] = parts.bootstrap.build(settings, apps)
    return containers
