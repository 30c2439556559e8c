"""`stvos`: the operator CLI. JSON on stdout, errors on stderr with a non-zero exit."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from stvos_shared.api import MAX_ID
from stvos_shared.errors import ApiError

from .platform import SERVICES, EmbeddedPlatform, build_containers, service_module

DEFAULT_VAR = os.environ.get("STVOS_VAR_DIR", "var")


def database_overrides(var_dir: str) -> dict[str, str]:
    """Production databases: STVOS_<SERVICE>_DATABASE_URL from the environment or var/stack.env."""
    values = dict(os.environ)
    stack_env = Path(var_dir) / "stack.env"
    if stack_env.exists():
        for line in stack_env.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.lstrip().startswith("#"):
                values.setdefault(key.strip(), value.strip())
    found = {name: values.get(f"STVOS_{name.upper()}_DATABASE_URL", "") for name in SERVICES}
    return {name: url for name, url in found.items() if url}


class Operator:
    """Admin commands against the embedded databases (events delivered in-process) or the stack's."""

    def __init__(self, var_dir: str) -> None:
        overrides = database_overrides(var_dir)
        self.platform = None if overrides else EmbeddedPlatform(var_dir)
        self.containers = self.platform.containers if self.platform else build_containers(var_dir, overrides)

    def run(self, command: str, **kwargs: Any) -> dict[str, Any]:
        if command == "create-partner-staff":
            self._require_client(kwargs["client_id"])
            result = service_module("partner", "admin").create_partner_staff(self.containers["partner"], **kwargs)
        elif command == "rotate-signing-key":
            result = self._rotate_signing_key(kwargs["service"])
        else:
            function = getattr(service_module("auth", "admin"), command.replace("-", "_"))
            result = function(self.containers["auth"], **kwargs)
        if self.platform:
            self.platform.flush()
        return result

    def _require_client(self, client_id: int) -> None:
        if not service_module("auth", "admin").client_exists(self.containers["auth"], client_id):
            raise ApiError(f"No client with id {client_id}.", code="CLIENT_NOT_FOUND", status=404)

    def _rotate_signing_key(self, service: str) -> dict[str, str]:
        """A fresh signing key for the service's new tokens; its older keys stay in the JWKS, so old tokens verify."""
        if service == "auth":
            return service_module("auth", "admin").rotate_signing_key(self.containers["auth"])
        return {"kid": self.containers["partner"].keys.rotate()}


def _client_id(value: str) -> int:
    """--client-id: a positive 32-bit id (argparse reports anything else as a usage error)."""
    number = int(value) if value.strip().isdigit() else 0
    if not 1 <= number <= MAX_ID:
        raise argparse.ArgumentTypeError(f"a client id is an integer from 1 to {MAX_ID}, not {value!r}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stvos", description="Run and operate the stvos platform.")
    parser.add_argument("--var-dir", default=DEFAULT_VAR, help="where the embedded databases live (default var/)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the embedded platform behind the gateway, with the demo tenant")
    run.add_argument("--host", default=os.environ.get("STVOS_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("STVOS_PORT", "8080")))
    admin = sub.add_parser("admin", help="operator commands").add_subparsers(dest="admin_command", required=True)
    client = admin.add_parser("create-client", help="create a tenant and print its API key")
    client.add_argument("name")
    client.add_argument("--branding", type=json.loads, default=None, help="JSON object")
    staff = admin.add_parser("create-partner-staff", help="create a partner staff account")
    staff.add_argument("--client-id", type=_client_id, required=True)
    staff.add_argument("--email", required=True)
    staff.add_argument("--password", required=True)
    staff.add_argument("--role", choices=["admin", "staff"], default="admin")
    staff.add_argument("--partner-name", default=None)
    admin.add_parser("set-master-trainer-key", help="create or rotate the master trainer key")
    issue = admin.add_parser("issue-api-key", help="issue an additional API key for a client and print it")
    issue.add_argument("--client-id", type=_client_id, required=True)
    revoke = admin.add_parser("revoke-api-key", help="revoke one of a client's API keys (named by the key itself)")
    revoke.add_argument("--client-id", type=_client_id, required=True)
    revoke.add_argument("--api-key", required=True, help="the key to revoke, as it was issued")
    rotate = admin.add_parser("rotate-signing-key", help="sign new tokens with a fresh key; old tokens still verify")
    rotate.add_argument("--service", choices=["auth", "partner"], required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        from .server import serve

        return serve(args.var_dir, args.host, args.port)
    kwargs = {k: v for k, v in vars(args).items() if k not in ("command", "admin_command", "var_dir")}
    try:
        result = Operator(args.var_dir).run(args.admin_command, **kwargs)
    except ApiError as error:
        print(f"stvos: {error.code}: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
