"""The nginx configuration rendered from the route table: valid for nginx, faithful to the table."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from stvos_gateway import nginx
from stvos_gateway.embedded import EmbeddedGateway, KeyAnswer
from stvos_gateway.refusals import REFUSALS
from stvos_gateway.routes import Limit, load_table
from werkzeug.test import Client

needs_nginx = pytest.mark.skipif(nginx.find_nginx() is None,
                                 reason="nginx is not installed (Debian: apt-get install nginx-light)")


@pytest.fixture
def table():
    return load_table()


def _locations_in_order(files: dict[str, str]) -> list[str]:
    """The regex locations as nginx sees them: includes of the server file expanded in order."""
    server = files["stvos_gateway.conf"]
    regexes = []
    for include in re.findall(r"^\s*include (api_\d\d_\S+);", server, re.M):
        regexes += re.findall(r'^location ~ "([^"]+)"', files[include], re.M)
    return regexes


@needs_nginx
def test_rendered_configuration_passes_nginx_t(tmp_path, table):
    options = nginx.local_options("127.0.0.1:18088")
    nginx.write(tmp_path, nginx.render(table, options), options)
    result = nginx.check(tmp_path)
    assert result.returncode == 0, result.stderr


@needs_nginx
def test_cli_writes_a_configuration_that_nginx_accepts(tmp_path, capsys):
    assert nginx.main(["--out", str(tmp_path / "gw"), "--listen", "127.0.0.1:18089", "--check"]) == 0
    assert (tmp_path / "gw" / "nginx.conf").exists()
    assert "nginx -p" in capsys.readouterr().out


def test_regex_locations_follow_the_table_order_so_the_first_match_wins(table):
    files = nginx.render(table, nginx.local_options("8088"))
    assert _locations_in_order(files) == [route.regex for route in table.routes]


def test_only_key_routes_ask_auth_and_only_master_routes_accept_the_master_key(table):
    files = nginx.render(table, nginx.local_options("8088"))
    blocks = re.findall(r'^# (\S+): (\w+)\nlocation ~ "[^"]+" \{\n(.*?)^\}', "".join(
        text for name, text in files.items() if nginx.API_FILE.match(name)), re.M | re.S)
    assert len(blocks) == len(table.routes)
    for path, access, body in blocks:
        route = next(r for r in table.routes if r.path == path)
        assert route.access == access
        assert ("auth_request /_stvos/check-key;" in body) == (access == "api_key"), path
        assert ("auth_request /_stvos/check-key-master;" in body) == (access == "api_key_or_master"), path
        assert ("return 404;" in body) == (access == "closed"), path
        if route.access == "public":
            assert f"proxy_pass http://{route.service};" in body
        elif route.service:  # counted after the key check, in the service's named location
            assert f"try_files {nginx.NO_FILE} @stvos_{route.service};" in body
            assert f"location @stvos_{route.service} {{" in files["api_counted.conf"]


def test_limits_and_cache_times_come_from_the_table(table):
    limits = replace(table.limits, per_address=Limit(7, 9), per_token=Limit(3, 4), tenant_rate=50,
                     tenant_tiers=(50, 600), trusted_proxies=("10.0.0.0/8",), key_cache_ok_seconds=11,
                     key_cache_denied_seconds=1)
    files = nginx.render(replace(table, max_body="3m", limits=limits), nginx.local_options("8088"))
    server = files["stvos_gateway.conf"]
    assert "client_max_body_size 3m;" in server
    assert "zone=stvos_per_address:10m rate=7r/s" in server and "zone=stvos_per_token:32m rate=3r/s" in server
    assert "zone=stvos_tenant_50:1m rate=50r/s" in server and "zone=stvos_tenant_600:1m rate=600r/s" in server
    assert "set_real_ip_from 10.0.0.0/8;" in server and "real_ip_recursive on;" in server
    assert "burst=9 nodelay" in files["api_04_partner-auth.conf"]  # a public route: address and token only
    assert "stvos_tenant" not in files["api_04_partner-auth.conf"]
    assert "limit_req zone=stvos_tenant_600 burst=600 nodelay;" in files["api_counted.conf"]
    assert "proxy_cache_valid 204 11s;" in files["api_key_check.conf"]
    assert "proxy_cache_valid 401 1s;" in files["api_key_check.conf"]


def test_callers_x_client_id_is_always_replaced_by_the_gateways_own(table):
    files = nginx.render(table, nginx.local_options("8088"))
    server = files["stvos_gateway.conf"]
    assert 'set $stvos_client_id "";' in server
    assert "proxy_set_header X-Client-Id $stvos_client_id;" in server
    # proxy_set_header in a location would drop the server's list there (nginx does not merge them).
    assert not any("proxy_set_header" in text for name, text in files.items() if nginx.API_FILE.match(name))


def test_kubernetes_rendering_names_services_and_writes_only_under_tmp(table):
    files = nginx.render(table, nginx.kubernetes_options())
    for name, port in table.services.items():
        assert f"server {name}:{port};" in files["api_backends.conf"]
    assert "user " not in files["nginx.conf"]
    assert "error_log stderr" in files["nginx.conf"]
    paths = re.findall(r"_path (\S+)", files["stvos_gateway.conf"]) + re.findall(r"^pid (\S+);", files["nginx.conf"],
                                                                                  re.M)
    assert paths and all(path.startswith("/tmp/") for path in paths)


def test_by_default_each_upstream_is_its_services_port_over_tcp(table):
    backends = nginx.render(table, nginx.local_options("8088"))["api_backends.conf"]
    expected = "".join(f"\nupstream {name} {{\n    server 127.0.0.1:{port};\n    keepalive 32;\n}}\n"
                       for name, port in table.services.items())
    assert backends == "# One upstream per service, with idle connections kept for reuse.\n" + expected
    assert "unix:" not in backends


def test_upstream_sockets_make_each_upstream_its_services_unix_socket_and_change_nothing_else(table, tmp_path):
    sockets = tmp_path / "sockets"
    files = nginx.render(table, nginx.local_options("8088", upstream_sockets=str(sockets)))
    default = nginx.render(table, nginx.local_options("8088"))
    for name in table.services:
        assert f"upstream {name} {{\n    server unix:{sockets}/{name}.sock;\n    keepalive 32;\n}}" in \
            files["api_backends.conf"]
    assert "127.0.0.1:" not in files["api_backends.conf"]
    assert {name: text for name, text in files.items() if name != "api_backends.conf"} == \
        {name: text for name, text in default.items() if name != "api_backends.conf"}


def test_an_upstream_socket_path_too_long_for_a_unix_socket_is_refused_by_name(table, tmp_path):
    longest = max(table.services, key=len)
    fits = "/" + "d" * (nginx.UNIX_PATH_MAX - len(f"//{longest}.sock"))  # exactly the longest path allowed
    assert len(nginx.upstream_socket(fits, longest)) == nginx.UNIX_PATH_MAX
    nginx.render(table, nginx.local_options("8088", upstream_sockets=fits))
    with pytest.raises(ValueError, match=rf"{longest}\.sock is 108 bytes long; .* at most 107"):
        nginx.render(table, nginx.local_options("8088", upstream_sockets=fits + "d"))
    with pytest.raises(ValueError, match="absolute"):
        nginx.upstream_socket("var/sockets", "auth")
    with pytest.raises(ValueError, match="cannot embed"):
        nginx.upstream_socket(str(tmp_path / "a b"), "auth")


def test_a_key_check_socket_path_too_long_for_a_unix_socket_is_refused_before_anything_is_written(table, tmp_path):
    """nginx's own key-check socket lies in run_dir, under the written directory when run_dir is relative."""
    options = nginx.local_options("8088")
    out = tmp_path / ("d" * (nginx.UNIX_PATH_MAX - len(f"{tmp_path}//run/{nginx.KEY_CHECK_SOCKET}")))
    assert len(nginx.key_check_socket(out, options.run_dir)) == nginx.UNIX_PATH_MAX
    nginx.write(out, nginx.render(table, options), options)
    assert f"unix:{out}/run/{nginx.KEY_CHECK_SOCKET};" in (out / "stvos_gateway.conf").read_text()
    deeper = Path(f"{out}d")
    with pytest.raises(ValueError, match=rf"key-check socket {deeper}/run/key_checks\.sock is 108 bytes long"):
        nginx.write(deeper, nginx.render(table, options), options)
    assert not deeper.exists()


@needs_nginx
def test_a_configuration_with_upstream_sockets_passes_nginx_t(tmp_path, table):
    options = nginx.local_options("127.0.0.1:18088", upstream_sockets=str(tmp_path / "sockets"))
    nginx.write(tmp_path / "gw", nginx.render(table, options), options)
    result = nginx.check(tmp_path / "gw")
    assert result.returncode == 0, result.stderr


@needs_nginx
def test_cli_renders_upstream_sockets_as_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert nginx.main(["--out", "gw", "--upstream-sockets", "sockets", "--listen", "127.0.0.1:18089", "--check"]) == 0
    assert f"server unix:{tmp_path.resolve()}/sockets/auth.sock;" in (tmp_path / "gw" / "api_backends.conf").read_text()


@pytest.mark.parametrize("status", [401, 404, 413, 429])
def test_nginx_error_bodies_are_the_embedded_gateways_bytes(table, status):
    table = replace(table, limits=replace(table.limits, per_address=Limit(1, 1), max_body_bytes=10), max_body="10")
    def partner(environ, start_response):
        start_response("204 No Content", [])
        return []

    gateway = Client(EmbeddedGateway(table, {"auth": None, "partner": partner}, lambda *_: KeyAnswer(False)))
    request = {401: ("/auth/login", b""), 404: ("/internal/gateway/check-key", b""),
               413: ("/auth/login", b"x" * 11), 429: ("/partner-auth/login", b"")}[status]
    response = gateway.post(request[0], data=request[1])
    if status == 429:
        response = gateway.post(request[0], data=request[1])
    assert response.status_code == status
    assert response.get_data(as_text=True) == nginx.error_json(status)
    files = nginx.render(table, nginx.local_options("8088"))
    assert f"return {status} '{nginx.error_json(status)}';" in files["api_json_errors.conf"]


def test_gateway_failures_answer_503_service_unavailable(table):
    errors = nginx.render(table, nginx.local_options("8088"))["api_json_errors.conf"]
    assert "error_page 503 500 502 504 = /_stvos/error/503;" in errors
    assert json.loads(nginx.error_json(503))["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert "add_header Retry-After 1 always;" in errors


def test_merged_openapi_and_docs_are_served_as_static_files_when_given(table, tmp_path):
    spec = {"openapi": "3.0.3", "info": {"title": "stvos API", "version": "1"}, "paths": {}}
    options = nginx.local_options("8088")
    files = nginx.render(table, options, spec)
    assert json.loads(files["static/openapi.json"]) == spec
    assert "<h1>stvos API</h1>" in files["static/docs.html"]
    assert "location = /openapi.json {\n        root static;" in files["stvos_gateway.conf"]
    assert "static/openapi.json" not in nginx.render(table, options)
    nginx.write(tmp_path, files, options)
    assert (tmp_path / "static" / "docs.html").is_file()


def test_rewriting_a_directory_drops_route_files_of_a_shorter_table(table, tmp_path):
    options = nginx.local_options("8088")
    nginx.write(tmp_path, nginx.render(table, options), options)
    shorter = replace(table, routes=table.routes[:2])
    nginx.write(tmp_path, nginx.render(shorter, options), options)
    routes = sorted(path.name for path in tmp_path.glob("api_[0-9]*.conf"))
    assert routes == ["api_01_internal.conf", "api_02_auth.conf"]


def test_every_refusal_of_the_one_table_is_an_nginx_error_page_with_the_same_bytes(table):
    errors = nginx.render(table, nginx.local_options("8088"))["api_json_errors.conf"]
    for status, refused in REFUSALS.items():
        assert f"return {status} '{refused.body.decode()}';" in errors
        assert re.search(rf"^error_page {status}( \d+)* = /_stvos/error/{status};$", errors, re.M), status
    # nginx's own "request header too large" answers as the embedded server does: 431.
    assert "error_page 431 494 = /_stvos/error/431;" in errors
