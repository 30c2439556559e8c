"""The operator commands: one table from each command's name to the function that does it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from stvos_auth import admin as auth_admin
from stvos_gateway.routes import TableSettings, load_table
from stvos_partner import admin as partner_admin
from stvos_shared.container import ServiceContainer
from stvos_shared.errors import ApiError
from stvos_shared.jobs import drain

from .platform import EmbeddedPlatform
from .services import SERVICES, build_containers

Containers = dict[str, ServiceContainer]
STACK_ENV = "stack.env"


def create_partner_staff(containers: Containers, client_id: int, **staff: Any) -> dict[str, Any]:
    """A partner staff account of an existing client."""
    if not auth_admin.client_exists(containers["auth"], client_id):
        raise ApiError(f"No client with id {client_id}.", code="CLIENT_NOT_FOUND", status=404)
    return partner_admin.create_partner_staff(containers["partner"], client_id=client_id, **staff)


ISSUERS = {"auth": auth_admin, "partner": partner_admin}  # the services that sign tokens, by their admin module


def rotate_signing_key(containers: Containers, service: str) -> dict[str, str]:
    """A fresh signing key for the service's new tokens; its older keys stay in the JWKS, so old tokens verify."""
    return ISSUERS[service].rotate_signing_key(containers[service])


def rewrap_signing_keys(containers: Containers, service: str) -> dict[str, Any]:
    """Seal every stored signing key with the first KEK of SIGNING_KEY_KEK (after putting a new KEK first; the
    old one may go once this has run): {"service", "rewrapped"}."""
    return {"service": service, **ISSUERS[service].rewrap_signing_keys(containers[service])}


def retire_unreadable_signing_keys(containers: Containers, service: str) -> dict[str, Any]:
    """For a lost KEK: retire the keys no configured KEK opens; a new key signs from then on, and the tokens the
    retired keys signed stop verifying (people sign in again): {"service", "retired": [kid, ...]}."""
    return {"service": service, **ISSUERS[service].retire_unreadable_signing_keys(containers[service])}


def set_rate_limit(containers: Containers, client_id: int, rate: str) -> dict[str, Any]:
    """The requests per second the gateways allow a tenant's whole app: a tier of the route table, or `default`."""
    limits = load_table(TableSettings.from_env().path).limits
    if rate == "default":
        return {**auth_admin.set_rate_limit(containers["auth"], client_id, None), "effective": limits.tenant_rate}
    if not rate.isdigit() or int(rate) not in limits.tenant_tiers:
        tiers = ", ".join(map(str, limits.tenant_tiers))
        raise ApiError(f"A tenant's rate is one of the gateway's tiers ({tiers}) or default, not {rate!r}.",
                       code="VALIDATION_FAILED", status=422)
    return {**auth_admin.set_rate_limit(containers["auth"], client_id, int(rate)), "effective": int(rate)}


def complete_subscriptions(containers: Containers) -> dict[str, int]:
    """One pass of booking's completion job (what its job process does every minute): {"completed": n}. The
    events go to booking's outbox; embedded, they are delivered before the command ends."""
    return {"completed": drain(containers["booking"].completions, "booking")}


COMMANDS: dict[str, Callable[..., dict[str, Any]]] = {
    "create-client": lambda containers, **args: auth_admin.create_client(containers["auth"], **args),
    "create-partner-staff": create_partner_staff,
    "set-master-trainer-key": lambda containers: auth_admin.set_master_trainer_key(containers["auth"]),
    "issue-api-key": lambda containers, **args: auth_admin.issue_api_key(containers["auth"], **args),
    "revoke-api-key": lambda containers, **args: auth_admin.revoke_api_key(containers["auth"], **args),
    "rotate-signing-key": rotate_signing_key,
    "rewrap-signing-keys": rewrap_signing_keys,
    "retire-unreadable-signing-keys": retire_unreadable_signing_keys,
    "set-rate-limit": set_rate_limit,
    "complete-subscriptions": complete_subscriptions,
}


def database_overrides(var_dir: str, from_env: dict[str, str]) -> dict[str, str]:
    """Production databases: the environment's STVOS_<SERVICE>_DATABASE_URL, else var/stack.env's (make stack)."""
    found = dict(from_env)
    stack_env = Path(var_dir) / STACK_ENV
    if stack_env.exists():
        for line in stack_env.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.lstrip().startswith("#"):
                for name in SERVICES:
                    if key.strip() == f"STVOS_{name.upper()}_DATABASE_URL" and value.strip():
                        found.setdefault(name, value.strip())
    return found


class Operator:
    """Admin commands against the embedded databases (events delivered in-process) or the stack's."""

    def __init__(self, var_dir: str, database_urls: dict[str, str], keks: tuple[str, ...] = ()) -> None:
        """`keks`: the production databases' KEKs (SIGNING_KEY_KEK); else var/signing-key.kek, the embedded
        mode's and `make stack`'s."""
        self.platform = None if database_urls else EmbeddedPlatform(var_dir)
        self.containers = (self.platform.containers if self.platform
                           else build_containers(var_dir, database_urls, keks=keks))

    def run(self, command: str, **args: Any) -> dict[str, Any]:
        """Do `command` and, on the embedded databases, deliver the events it caused."""
        result = COMMANDS[command](self.containers, **args)
        if self.platform:
            self.platform.flush()
        return result

    def close(self) -> None:
        if self.platform:
            self.platform.stop()
        else:
            for container in self.containers.values():
                container.db.dispose()
