"""The OpenAPI documents: each service's (committed as services/<name>/openapi.json) and the merged one.

    python -m stvos_runner.openapi                  rewrite services/*/openapi.json from the apps (`make openapi`)
    python -m stvos_runner.openapi --merged FILE    write the merged document both gateways serve
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from stvos_gateway.routes import TableSettings, load_table

from .openapi_merge import merged_spec, service_spec
from .platform import EmbeddedPlatform

ROOT = Path(__file__).resolve().parents[3]


def committed_path(service: str) -> Path:
    return ROOT / "services" / service / "openapi.json"


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write each service's OpenAPI document to services/<name>/openapi.json, or the merged one to --merged."""
    parser = argparse.ArgumentParser(prog="python -m stvos_runner.openapi", description=main.__doc__)
    parser.add_argument("--merged", metavar="FILE", default=None,
                        help="write the merged document (for `python -m stvos_gateway.nginx --openapi FILE`)")
    parser.add_argument("--table", default=None, help="route table (default: STVOS_ROUTES or gateway/routes.toml)")
    args = parser.parse_args(argv)
    table = load_table(args.table or TableSettings.from_env().path)
    with tempfile.TemporaryDirectory() as var_dir:
        platform = EmbeddedPlatform(var_dir, table=table, create_schema=False)  # built, never connected
        try:
            if args.merged:
                Path(args.merged).write_text(json.dumps(merged_spec(platform.apps, table)))
                return
            for service, app in platform.apps.items():
                committed_path(service).write_text(render(service_spec(app)))
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
