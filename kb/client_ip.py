"""The address of the person making a request, also behind a reverse proxy.

Behind nginx or a load balancer REMOTE_ADDR is the proxy, the same for everyone: django-axes
keyed on it locked an editor out because someone else guessed their password (issue 17). The
proxy appends the address it received the request from to X-Forwarded-For; the client is the
right-most address in that list that is not one of our proxies. The header is believed only
when REMOTE_ADDR is a configured trusted proxy (`DJANGO_TRUSTED_PROXIES`), since anybody can
send the header themselves (see MDN, "X-Forwarded-For: Security and privacy concerns").
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.KB_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's IP address as text (IPv4 or IPv6), e.g. "203.0.113.7": REMOTE_ADDR, or
    when that is a trusted proxy the right-most untrusted X-Forwarded-For address."""
    remote = request.META.get("REMOTE_ADDR")
    if not remote or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header: the proxy is all we know
    return remote
