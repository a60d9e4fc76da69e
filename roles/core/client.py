"""Who is asking: the client address (X-Forwarded-For believed only from
trusted proxies) and the rate limits keyed on it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import ALL, get_usage


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted_proxy(address) -> bool:
    for network in settings.TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address. X-Forwarded-For counts only when the request
    comes straight from one of our own proxies (``TRUSTED_PROXIES``); then the
    client is the entry ``TRUSTED_PROXY_COUNT`` places from the right (the one
    our outermost proxy wrote); anything further left was written by the
    client. Otherwise, and whenever that entry is not an address, REMOTE_ADDR.
    None when there is no valid address (a log-in made without a request).

    The standard trusted-proxy walk (nginx's realip does the same); python-
    ipware's proxy-count model reads from the left, which the client writes."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0 and _trusted_proxy(remote):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h for h in forwarded.split(",") if h.strip()]
        if len(hops) >= count and (client := _address(hops[-count])) is not None:
            return str(client)
    return str(remote)


def _rate_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def rate_limit_wait(
    request: HttpRequest,
    *,
    group: str,
    limit: int,
    window: int,
    count: bool = True,
) -> int | None:
    """Seconds until this client may go on, or None. A fixed window per client
    address (``client_ip``) in the shared cache (django-ratelimit), so it holds
    across processes and containers; it fails open while the cache is away.
    ``count=False`` only looks: whether one more would be refused, leaving
    the count to :func:`rate_limit_count` once the action has succeeded."""
    usage = get_usage(
        request,
        group=group,
        key=_rate_key,
        rate=f"{limit}/{window}s",
        method=ALL,
        increment=count,
    )
    if usage is None:
        return None
    # Counted: this request is in the count. Looked: one more is one too many.
    over = usage["should_limit"] if count else usage["count"] >= limit
    if not over:
        return None
    # time_left counts whole seconds to the window's last second, which still
    # belongs to it: the next window opens one second later.
    return usage["time_left"] + 1


def rate_limit_count(
    request: HttpRequest, *, group: str, limit: int, window: int
) -> None:
    """Counts one action of this client towards ``group``'s limit."""
    get_usage(
        request,
        group=group,
        key=_rate_key,
        rate=f"{limit}/{window}s",
        method=ALL,
        increment=True,
    )


def wait_in_words(seconds: int) -> str:
    """A rate limit's wait as a 429 page says it, heading and text alike:
    seconds under a minute, else whole minutes rounded up (never less than
    Retry-After)."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
