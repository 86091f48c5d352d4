"""The JSON form of a request in the shared Redis frontier (crawler/frontier.py).

scrapy-redis stores requests pickled unless told otherwise; a pickle read from a Redis server
that other hosts write to would run whatever code they put there, and cannot be read by anything
but Python. `Request.to_dict` gives plain values apart from bytes (URL-encoded headers, bodies)
and dicts keyed by bytes (headers), which get a tagged form here: {"$b": base64} and
{"$d": [[key, value], ...]}. A value JSON cannot hold is refused with its type named, so a
component that puts an object in `meta` fails at once, not on another host.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_TAGS = ("$b", "$d")


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in _TAGS for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"a request for the Redis frontier holds a {type(value).__name__}, "
                    "which JSON cannot carry")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$b" in obj:
            return base64.b64decode(obj["$b"])
        if "$d" in obj:
            return {_freeze(k): v for k, v in obj["$d"]}
    return obj


def _freeze(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(request: dict[str, Any]) -> bytes:
    """What scrapy-redis pushes: the request's dict as compact UTF-8 JSON."""
    return json.dumps(_encode(request), ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes | str) -> dict[str, Any]:
    return json.loads(data, object_hook=_decode)
