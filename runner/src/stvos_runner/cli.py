"""`stvos`: serve the embedded platform, and the operator commands. JSON on stdout, errors on stderr, exit != 0."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from stvos_shared.api import MAX_ID
from stvos_shared.errors import ApiError
from stvos_shared.keywrap import KekError, SealedKeyError

from .commands import Operator, database_overrides
from .settings import RunnerSettings


def _client_id(value: str) -> int:
    """--client-id: a positive 32-bit id (argparse reports anything else as a usage error)."""
    number = int(value) if value.strip().isdigit() else 0
    if not 1 <= number <= MAX_ID:
        raise argparse.ArgumentTypeError(f"a client id is an integer from 1 to {MAX_ID}, not {value!r}")
    return number


def _admin_commands(admin: argparse._SubParsersAction) -> None:
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
    limit = admin.add_parser("set-rate-limit", help="the requests per second the gateways allow a tenant's whole app")
    limit.add_argument("--client-id", type=_client_id, required=True)
    limit.add_argument("--rate", required=True, help="one of the route table's tenant_rate_tiers, or `default`")
    admin.add_parser("complete-subscriptions", help="mark the programme subscriptions whose programme has run "
                     "`completed` (one pass of booking's scheduled job) and print how many")
    rotate = admin.add_parser("rotate-signing-key", help="sign new tokens with a fresh key; old tokens still verify")
    rotate.add_argument("--service", choices=["auth", "partner"], required=True)
    rewrap = admin.add_parser("rewrap-signing-keys", help="seal every signing key with the first KEK of "
                              "SIGNING_KEY_KEK (the KEK rotation: new KEK first, rewrap, drop the old)")
    rewrap.add_argument("--service", choices=["auth", "partner"], required=True)
    lost = admin.add_parser("retire-unreadable-signing-keys", help="a lost KEK: retire the signing keys no KEK "
                            "opens (their tokens stop verifying; a new key is made)")
    lost.add_argument("--service", choices=["auth", "partner"], required=True)


def parser(settings: RunnerSettings) -> argparse.ArgumentParser:
    """The command line, its defaults taken from the settings."""
    root = argparse.ArgumentParser(prog="stvos", description="Run and operate the stvos platform.")
    root.add_argument("--var-dir", default=settings.var_dir, help="where the embedded databases live (default var/)")
    sub = root.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the embedded platform behind the gateway, with the demo tenant")
    run.add_argument("--host", default=settings.host)
    run.add_argument("--port", type=int, default=settings.port)
    admin = sub.add_parser("admin", help="operator commands").add_subparsers(dest="admin_command", required=True)
    _admin_commands(admin)
    return root


def main(argv: list[str] | None = None) -> int:
    settings = RunnerSettings.from_env()
    args = parser(settings).parse_args(argv)
    if args.command == "run":
        from .server import serve

        return serve(replace(settings, var_dir=args.var_dir, host=args.host, port=args.port))
    arguments = {k: v for k, v in vars(args).items() if k not in ("command", "admin_command", "var_dir")}
    databases = database_overrides(args.var_dir, settings.database_urls)
    operator = Operator(args.var_dir, databases, settings.signing_key_kek if databases else ())
    try:
        result = operator.run(args.admin_command, **arguments)
    except ApiError as error:
        print(f"stvos: {error.code}: {error.message}", file=sys.stderr)
        return 1
    except (KekError, SealedKeyError) as error:
        print(f"stvos: {error}", file=sys.stderr)
        return 1
    finally:
        operator.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
