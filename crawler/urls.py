"""URL identity: the canonical form that decides whether two links are the same article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|yclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|src|"
    r"cmpid|ito|s_cid|spm|from|n_cid|ncid|_ga|_gl|rss|feed|at_\w+|amp|outputType)$",
    re.I,
)


_MOBILE_HOST = re.compile(r"^(?:www|m|mobile|amp|sp)\.(?=[^.]+\.[^.]+)")
_AMP_PATH = ((re.compile(r"^/amp(?=/)"), ""), (re.compile(r"/amp$"), ""),
             (re.compile(r"\.amp(\.html?)$"), r"\1"))
# Kyodo re-issues an updated story as "<id>-update1-<slug>", "-update2-", ...
_UPDATE_PREFIX = re.compile(r"(?<=[/-])update\d+-", re.I)


def canonicalize_url(url: str) -> str:
    """The identity of a page's URL.

    https; host in lower case without www., m., mobile., amp. or sp.; no default port, fragment
    or tracking parameters; sorted query; one spelling of each percent-escape; no AMP path; no
    Kyodo "updateN-" slug prefix; no trailing slash; and the path in lower case for outlets
    whose slugs ignore case (Japan Today serves /Abe-takes-blame and /abe-takes-blame alike).
    """
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    host = _MOBILE_HOST.sub("", (parts.hostname or "").lower().rstrip("."))
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", _normalize_escapes(parts.path))
    if len(path) > 1:
        path = path.rstrip("/")
    for pattern, replacement in _AMP_PATH:
        path = pattern.sub(replacement, path)
    path = _UPDATE_PREFIX.sub("", path)
    if _folds_case(host):
        path = path.lower()
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit((scheme, host, path or "/", query, ""))


def _folds_case(host: str) -> bool:
    from crawler.sources import SOURCES, owns_host

    return any(s.case_insensitive_paths and owns_host(s, host) for s in SOURCES.values())


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


WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """Whether a link is an http(s) address with a host.

    Anything else (javascript:, data:, file:, vbscript:) stored as an article's address becomes
    a live link on every page that shows the article: a stored XSS. urlsplit drops the leading
    controls and inner tabs a browser drops, so "java\tscript:" is seen as the browser sees it.
    """
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket, a port out of range
        return False


def same_site(url_a: str, url_b: str) -> bool:
    """Whether two URLs belong to one site (registrable host, ignoring a leading www.)."""
    def host(u: str) -> str:
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h
    a, b = host(url_a), host(url_b)
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))
