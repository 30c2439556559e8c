"""The production gateway: nginx configuration rendered from the route table (the NGINX API-gateway layout).

`python -m stvos_gateway.nginx --out DIR [--upstream-host 127.0.0.1 | --upstream-sockets DIR | --kubernetes]
[--listen 8088]` writes nginx.conf (main), stvos_gateway.conf (the server), api_backends.conf (upstreams),
api_json_errors.conf (nginx's own errors in the JSON envelope), api_key_check.conf, api_NN_<prefix>.conf
(one per API prefix, included in table order) and api_counted.conf (keyed requests, counted after their key);
with --openapi FILE also static/openapi.json, static/docs.html and static/docs/ (Swagger UI's files), the
merged document and its page as the embedded gateway serves them. Run it with `nginx -p DIR -c nginx.conf`.
The layout is flat so that the whole directory fits a Kubernetes ConfigMap.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from . import docs
from .embedded import KEY_CHECK_PATH
from .nginx_limits import NO_FILE, counted, counted_locations, limit_lines, rate_zones, real_ip
from .refusals import REFUSALS, RETRY_AFTER_SECONDS
from .routes import LINGER_SECONDS, TRACEPARENT, UNSAFE_PATH, Route, RouteTable, TableSettings, load_table

TEMPLATES = Path(__file__).resolve().parents[2] / "nginx"
HEALTHZ_BODY = json.dumps({"success": True, "data": {"status": "ok", "service": "gateway"}})
KEY_CHECK = "/_stvos/check-key"
KEY_CHECK_MASTER = "/_stvos/check-key-master"
CONTAINER_STATIC_DIR = "/usr/share/stvos-gateway"
CONTAINER_STATUS_LISTEN = "127.0.0.1:8081"
API_FILE = re.compile(r"^api_\d\d_[\w-]+\.conf$")
# The longest path a unix socket may have, in bytes: sun_path holds 108 with the terminating NUL (Linux).
UNIX_PATH_MAX = 107
KEY_CHECK_SOCKET = "key_checks.sock"  # in run_dir: nginx's own key-check server (stvos_gateway.conf.tmpl)

# nginx's own statuses that answer as another refusal of the table: 403 is a key check refused for too many
# misses from one address (the key-check server's limit_req_status), 494 its "request header too large",
# and an upstream or key check that fails or cannot be reached is a 503.
ERROR_ALIASES: dict[int, tuple[int, ...]] = {429: (403,), 431: (494,), 503: (500, 502, 504)}
# The error pages are URIs, not named locations: nginx cannot redirect a request whose line it could not
# parse to a named location (it would answer an HTML 500 instead).
ERROR_PAGE = "/_stvos/error/"


@dataclass(frozen=True)
class NginxOptions:
    listen: str = "8088"
    upstream_host: str | None = "127.0.0.1"  # None: each upstream is its service's name (Kubernetes, compose)
    # An absolute directory: each upstream is the unix socket <dir>/<service>.sock instead (one host: nginx and
    # gunicorn cost less a request than over loopback TCP). None: TCP, as upstream_host says.
    upstream_sockets: str | None = None
    run_dir: str = "run"  # pid, temp files, key cache; relative paths are under nginx's prefix (-p)
    log_dir: str | None = "logs"  # None: error log to stderr, access log to stdout (containers)
    workers: str = "auto"
    user: str | None = None  # the worker user; only meaningful when the master runs as root
    keepalive: int = 32
    static_dir: str = "static"  # openapi.json and docs.html; relative paths are under nginx's prefix
    status_listen: str | None = None  # where stub_status answers (stvos_status.conf); None: nowhere


def local_options(listen: str, **overrides) -> NginxOptions:
    """A private instance on this host, run by the current user (as root, workers stay root too)."""
    user = getpass.getuser() if os.geteuid() == 0 else None
    return NginxOptions(listen=listen, user=user, **overrides)


def kubernetes_options(listen: str = "8080") -> NginxOptions:
    """In a container: upstreams by service name, logs to the console, writable files only under /tmp;
    stub_status for the exporter beside it in the pod."""
    return NginxOptions(listen=listen, upstream_host=None, run_dir="/tmp",  # noqa: S108
                        log_dir=None, static_dir=CONTAINER_STATIC_DIR, status_listen=CONTAINER_STATUS_LISTEN)


def _fill(template: str, **values: object) -> str:
    text = (TEMPLATES / template).read_text()
    missing = set(re.findall(r"\{\{(\w+)\}\}", text)) - set(values)
    if missing:
        raise KeyError(f"{template}: no value for {sorted(missing)}")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(values[m.group(1)]), text)


def _quoted(text: str) -> str:
    """A literal nginx string: no variables, no escapes to interpret."""
    if re.search(r"[$'\\\n]", text):
        raise ValueError(f"cannot embed {text!r} in the nginx configuration")
    return text


def error_json(status: int) -> str:
    """The exact body the embedded gateway sends for this refusal."""
    return REFUSALS[status].body.decode()


def _json_errors() -> str:
    lines = ["# nginx's own errors, in the JSON envelope (a service's own errors pass through untouched).", ""]
    for status in REFUSALS:
        lines.append(f"error_page {' '.join(map(str, (status, *ERROR_ALIASES.get(status, ()))))} = "
                     f"{ERROR_PAGE}{status};")
    for status in REFUSALS:
        lines += ["", f"location = {ERROR_PAGE}{status} {{", "    internal;",
                  "    client_max_body_size 0;  # the refused request's body is never read here",
                  "    add_header X-Request-ID $stvos_request_id always;"]
        if status == 429:
            lines.append(f"    add_header Retry-After {RETRY_AFTER_SECONDS} always;")
        lines += [f"    return {status} '{_quoted(error_json(status))}';", "}"]
    return "\n".join(lines) + "\n"


def _docs_headers() -> str:
    """The /docs page's security headers (stvos_gateway.docs), as add_header lines (double-quoted values)."""
    if any(re.search(r'["$\\\n]', value) for value in docs.SECURITY_HEADERS.values()):
        raise ValueError("a /docs header does not fit a double-quoted nginx string")
    return "\n".join(f'        add_header {name} "{value}" always;' for name, value in docs.SECURITY_HEADERS.items())


def upstream_socket(directory: str | os.PathLike, service: str) -> str:
    """The unix socket at which `service`'s server listens for the gateway (NginxOptions.upstream_sockets)."""
    return _unix_socket(os.path.join(directory, f"{service}.sock"), "upstream socket")


def key_check_socket(out_dir: str | os.PathLike, run_dir: str) -> str:
    """The unix socket of nginx's own key-check server, as `write` puts it in a configuration written to
    `out_dir` (a relative run_dir is under it)."""
    run = run_dir if os.path.isabs(run_dir) else str((Path(out_dir) / run_dir).resolve())
    return _unix_socket(os.path.join(run, KEY_CHECK_SOCKET), "key-check socket")


def _unix_socket(path: str, what: str) -> str:
    """`path`, if nginx can take it as a unix socket: absolute, plain characters, short enough for sun_path."""
    if not os.path.isabs(path):
        raise ValueError(f"the {what} {path} must be an absolute path (nginx reads it from its own working "
                         "directory)")
    if re.search(r"[\s;{}\"'$\\#]", path):
        raise ValueError(f"cannot embed the {what} {path!r} in the nginx configuration")
    if len(os.fsencode(path)) > UNIX_PATH_MAX:
        raise ValueError(f"the {what} {path} is {len(os.fsencode(path))} bytes long; a unix socket's path may "
                         f"have at most {UNIX_PATH_MAX}: use a shorter directory")
    return path


def _backends(table: RouteTable, options: NginxOptions) -> str:
    lines = ["# One upstream per service, with idle connections kept for reuse."]
    for name, port in table.services.items():
        if options.upstream_sockets:
            server = f"unix:{upstream_socket(options.upstream_sockets, name)}"
        else:
            server = f"{options.upstream_host or name}:{port}"
        lines += ["", f"upstream {name} {{", f"    server {server};", f"    keepalive {options.keepalive};", "}"]
    return "\n".join(lines) + "\n"


def _location(route: Route, table: RouteTable) -> list[str]:
    if '"' in route.regex or "\\\\" in route.regex:
        raise ValueError(f"route {route.path!r} does not fit an nginx regex location")
    lines = [f"# {route.path}: {route.access}", f'location ~ "{route.regex}" {{']
    if route.access == "closed":
        return [*lines, "    client_max_body_size 0;", "    return 404;", "}"]
    if route.access == "public":
        return [*lines, *(f"    {line}" for line in limit_lines(table, tenant=False)),
                f"    proxy_pass http://{route.service};", "}"]
    target = KEY_CHECK_MASTER if route.access == "api_key_or_master" else KEY_CHECK
    return [*lines, f"    auth_request {target};", "    auth_request_set $stvos_client_id $upstream_http_x_client_id;",
            "    auth_request_set $stvos_tenant_rate $upstream_http_x_tenant_rate;",
            f"    try_files {NO_FILE} {counted(route.service)};", "}"]


def _prefix(route: Route) -> str:
    return route.path.strip("/").split("/")[0] or "root"


def api_files(table: RouteTable) -> list[tuple[str, str]]:
    """api_NN_<prefix>.conf: consecutive routes with the same first segment share a file."""
    groups: list[tuple[str, list[Route]]] = []
    for route in table.routes:
        if groups and groups[-1][0] == _prefix(route):
            groups[-1][1].append(route)
        else:
            groups.append((_prefix(route), [route]))
    files = []
    for index, (prefix, routes) in enumerate(groups, start=1):
        body = [f"# /{prefix}: rendered from gateway/routes.toml, in table order."]
        for route in routes:
            body += ["", *_location(route, table)]
        files.append((f"api_{index:02d}_{prefix}.conf", "\n".join(body) + "\n"))
    return files


def render(table: RouteTable, options: NginxOptions, openapi: dict | None = None) -> dict[str, str]:
    """Every file of the gateway's configuration (and, given the merged spec, its static pages): path -> text."""
    apis = api_files(table)
    logs = options.log_dir
    static = {f"static/{name}": text for name, text in {"openapi.json": json.dumps(openapi),
                                                         **docs.static_files(openapi)}.items()} if openapi else {}
    status = options.status_listen
    status_file = {"stvos_status.conf": _fill("stvos_status.conf.tmpl", status_listen=status)} if status else {}
    return {
        "nginx.conf": _fill(
            "nginx.conf.tmpl", user=f"user {options.user};\n" if options.user else "", workers=options.workers,
            run_dir=options.run_dir, error_log=f"{logs}/error.log" if logs else "stderr"),
        "stvos_gateway.conf": _fill(
            "stvos_gateway.conf.tmpl", run_dir=options.run_dir, access_log=f"{logs}/access.log" if logs else
            "/dev/stdout", address_rate=table.limits.per_address.rate, token_rate=table.limits.per_token.rate,
            tenant_zones=rate_zones(table), real_ip=real_ip(table), listen=options.listen, max_body=table.max_body,
            healthz=_quoted(HEALTHZ_BODY), docs_headers=_docs_headers(), key_check_path=KEY_CHECK_PATH,
            static_dir=options.static_dir,
            unsafe_path=UNSAFE_PATH, error_page=ERROR_PAGE, read_timeout=table.limits.read_timeout_seconds,
            linger=LINGER_SECONDS, traceparent=TRACEPARENT, miss_rate=table.limits.key_misses.rate,
            miss_burst=table.limits.key_misses.burst,
            status_include="include stvos_status.conf;" if status else "",
            api_includes="".join(f"    include {name};\n" for name, _ in apis)),
        "api_key_check.conf": _fill("api_key_check.conf.tmpl", ok_seconds=table.limits.key_cache_ok_seconds,
                                    denied_seconds=table.limits.key_cache_denied_seconds),
        "api_backends.conf": _backends(table, options),
        "api_counted.conf": counted_locations(table),
        "api_json_errors.conf": _json_errors(),
        **dict(apis),
        **status_file,
        **static,
    }


def write(out_dir: str | os.PathLike, files: dict[str, str], options: NginxOptions) -> Path:
    """Write the files (dropping stale api_NN_*.conf) and the directories nginx expects to exist."""
    out = Path(out_dir)
    key_check_socket(out, options.run_dir)  # a path too long for a socket fails here, not in nginx -t
    for stale in out.glob("api_*.conf") if out.is_dir() else ():
        if API_FILE.match(stale.name):
            stale.unlink()
    run_dir = options.run_dir
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        if not os.path.isabs(run_dir):  # nginx reads a unix socket's path from its working directory, not -p
            text = text.replace(f"unix:{run_dir}/", f"unix:{(out / run_dir).resolve()}/")
        (out / name).write_text(text)
    for directory in (options.run_dir, options.log_dir):
        if directory and not os.path.isabs(directory):
            (out / directory).mkdir(parents=True, exist_ok=True)
    return out


def find_nginx() -> str | None:
    """The nginx binary (Debian puts it in /usr/sbin, which a user's PATH may lack)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def command(out_dir: str | os.PathLike, *extra: str) -> list[str]:
    """`nginx -p DIR -c nginx.conf` for a rendered directory."""
    binary = find_nginx()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx-light)")
    return [binary, "-p", f"{Path(out_dir).resolve()}/", "-c", "nginx.conf", *extra]


def check(out_dir: str | os.PathLike) -> subprocess.CompletedProcess:
    """`nginx -t` on a rendered directory."""
    return subprocess.run(command(out_dir, "-t", "-q"), capture_output=True, text=True, check=False)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stvos_gateway.nginx", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory to write the configuration into")
    parser.add_argument("--table", default=None, help="route table (default: STVOS_ROUTES or gateway/routes.toml)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--upstream-host", default="127.0.0.1", help="host of every upstream (one host)")
    where.add_argument("--upstream-sockets", metavar="DIR", default=None,
                       help="every upstream is the unix socket DIR/<service>.sock (one host)")
    where.add_argument("--kubernetes", action="store_true",
                       help="upstreams by service name, logs to the console, files under /tmp (containers)")
    parser.add_argument("--listen", default=None, help="port or address:port (default 8088; 8080 with --kubernetes)")
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--status-listen", default=None, help="address:port of stub_status, for an exporter")
    parser.add_argument("--openapi", metavar="FILE", default=None,
                        help="also serve this merged OpenAPI document and its /docs page "
                             "(written by `python -m stvos_runner.openapi --merged FILE`)")
    parser.add_argument("--check", action="store_true", help="run `nginx -t` on the result")
    args = parser.parse_args(argv)
    options = kubernetes_options(args.listen or "8080") if args.kubernetes else local_options(
        args.listen or "8088", upstream_host=args.upstream_host,
        upstream_sockets=args.upstream_sockets and os.path.abspath(args.upstream_sockets))
    options = replace(options, workers=args.workers, status_listen=args.status_listen or options.status_listen)
    table = load_table(args.table or TableSettings.from_env().path)
    openapi = json.loads(Path(args.openapi).read_text()) if args.openapi else None
    out = write(args.out, render(table, options, openapi), options)
    if args.check:
        result = check(out)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
    print(f"nginx configuration written to {out}/ (run: nginx -p {out.resolve()}/ -c nginx.conf)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
