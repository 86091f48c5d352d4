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
    path = re.sub(r"/{2,}", "/", _normalize_escapes(parts.path))
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit((scheme, host, path or "/", query, ""))


_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_RESERVED_ESCAPES = re.compile(r"%(2[fF]|25)")


def _normalize_escapes(path: str) -> str:
    """One spelling per path: needless escapes decoded (%27 → '), needed ones in upper case.

    Works on bytes (latin-1 round trip), so Shift_JIS or EUC-JP escapes of legacy Japanese
    sites keep their bytes, and %2F and %25 stay escaped because decoding them changes the path.
    """
    path = quote(path, safe=_PATH_SAFE + "%", encoding="utf-8")  # raw non-ASCII (an IRI)
    path = _RESERVED_ESCAPES.sub(lambda m: "\x00" + m.group(1).upper(), path)
    path = quote(unquote(path, encoding="latin-1"), safe=_PATH_SAFE + "\x00", encoding="latin-1")
    return path.replace("\x00", "%")


def same_site(url_a: str, url_b: str) -> bool:
    """Whether two URLs belong to one site (registrable host, ignoring a leading www.)."""
    def host(u: str) -> str:
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h
    a, b = host(url_a), host(url_b)
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))
