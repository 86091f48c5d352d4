"""URL identity: the canonical form that decides whether two links are the same article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|yclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|src|"
    r"cmpid|ito|s_cid|spm|from|n_cid|ncid|_ga|_gl|rss|feed|at_\w+|amp|outputType)$",
    re.I,
)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, https, no default port, no fragment, no tracking parameters,
    sorted query, stable percent-encoding, no trailing slash on article paths."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit((scheme, host, path or "/", query, ""))


def same_site(url_a: str, url_b: str) -> bool:
    """Whether two URLs belong to one site (registrable host, ignoring a leading www.)."""
    def host(u: str) -> str:
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h
    a, b = host(url_a), host(url_b)
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))
