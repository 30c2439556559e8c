"""The rate limits and the client address in the rendered nginx configuration (docs/architecture.md §3)."""
from __future__ import annotations

from .routes import RouteTable

NO_FILE = "/.stvos-no-such-file"  # try_files' probe: never there, so the request goes on to the named location


def limit_lines(table: RouteTable, tenant: bool) -> list[str]:
    """The limit_req lines of a location: per address and per token, and per tenant (at each tier) after a key."""
    limits = table.limits
    lines = [f"limit_req zone=stvos_per_address burst={limits.per_address.burst} nodelay;",
             f"limit_req zone=stvos_per_token burst={limits.per_token.burst} nodelay;"]
    if tenant:
        lines += [f"limit_req zone=stvos_tenant_{rate} burst={rate} nodelay;" for rate in limits.tenant_tiers]
    return lines


def counted(service: str | None) -> str:
    return f"@stvos_{service}"


def counted_locations(table: RouteTable) -> str:
    """api_counted.conf: where a keyed request goes once its key passed, to be counted and then proxied.

    nginx runs limit_req before auth_request in a location, and limits a request in one location only; so a
    keyed route checks the key and then (try_files, which never finds its file) hands the request to its
    service's named location here, where every limit, the tenant's tier included, counts it.
    """
    lines = ["# Keyed requests after their key check: the limits (the tenant's tier known now), then the service."]
    for service in table.services:
        lines += ["", f"location {counted(service)} {{", *(f"    {line}" for line in limit_lines(table, tenant=True)),
                  f"    proxy_pass http://{service};", "}"]
    return "\n".join(lines) + "\n"


def rate_zones(table: RouteTable) -> str:
    """A zone per tenant tier, keyed by the client id only when the key check named that tier (else empty: not
    counted there); a rate that is not a tier, or none, counts at the default tier."""
    limits, lines = table.limits, []
    for rate in limits.tenant_tiers:
        others = [f'    "{other}" "";' for other in limits.tenant_tiers if other != rate]
        lines += [f"map $stvos_tenant_rate $stvos_tenant_{rate} {{",
                  *(others if rate == limits.tenant_rate else [f'    "{rate}" $stvos_client_id;']),
                  f'    default {"$stvos_client_id" if rate == limits.tenant_rate else chr(34) * 2};', "}",
                  f"limit_req_zone $stvos_tenant_{rate} zone=stvos_tenant_{rate}:1m rate={rate}r/s;"]
    return "\n".join(lines)


def real_ip(table: RouteTable) -> str:
    """Behind trusted proxies the client is the last address of X-Forwarded-For that none of them added."""
    proxies = table.limits.trusted_proxies
    if not proxies:
        return "# No trusted proxies: the client is the connection's peer; X-Forwarded-For is never read."
    return "\n".join([*(f"set_real_ip_from {cidr};" for cidr in proxies), "real_ip_header X-Forwarded-For;",
                      "real_ip_recursive on;"])
