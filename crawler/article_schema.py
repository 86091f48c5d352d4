"""The JSON Schema of an article's JSON form (`Article.to_json()`), derived from the dataclass.

Derived rather than written out so that it cannot drift from crawler/items.py: a new field of
`Article` is in the schema the moment it exists, and a field of a type the schema has no rule
for stops the import (TypeError) instead of going unchecked. What the types cannot say (a
title is not empty, a URL is absolute, a hash is set) is in `_RULES`, by field name, checked
against the dataclass on import as well. Spidermon validates every crawled article against it
(pipelines/validate.py), so a parser that starts returning empty or ill-typed fields shows in
the run's monitors, not weeks later in a consumer.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from crawler.items import Article

INTERNAL = ("minhash", "lsh_bands")
"""The dedup index's working state: `to_json()` leaves it out, and so does the schema."""

_RULES: dict[str, dict[str, Any]] = {
    "url": {"format": "iri", "minLength": 1},  # an IRI: Japanese paths may be unencoded
    "canonical_url": {"format": "iri", "minLength": 1},
    "image_url": {"format": "iri"},
    "source": {"minLength": 1},
    "source_name": {"minLength": 1},
    "title": {"minLength": 1},
    "body": {"minLength": 1},
    "content_hash": {"minLength": 1},
    "meta_hash": {"minLength": 1},
}
"""Constraints beyond the type, which `normalize` guarantees and a consumer relies on."""

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    datetime: {"type": "string", "format": "date-time"},  # to_json() writes ISO 8601
}


def _schema_of(hint: Any) -> dict[str, Any]:
    """The JSON Schema of one annotated type, as `to_json()` renders its values."""
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        schema = _schema_of(inner)  # formats and lengths apply to the value when there is one
        return {**schema, "type": [schema["type"], "null"]}
    if origin is list:
        return {"type": "array", "items": _schema_of(args[0])}
    if origin is dict and args[0] is str:
        return {"type": "object", "additionalProperties": _schema_of(args[1])}
    raise TypeError(f"no JSON Schema rule for the type {hint!r} of an Article field")


def article_schema() -> dict[str, Any]:
    hints = typing.get_type_hints(Article)
    fields = [f.name for f in dataclasses.fields(Article) if f.name not in INTERNAL]
    unknown = set(_RULES) - set(fields)
    if unknown:
        raise TypeError(f"article schema rules for fields Article does not have: {unknown}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Article",
        "type": "object",
        "properties": {name: {**_schema_of(hints[name]), **_RULES.get(name, {})}
                       for name in fields},
        "required": fields,
        "additionalProperties": False,
    }


ARTICLE_SCHEMA = article_schema()
"""Named in SPIDERMON_VALIDATION_SCHEMAS (crawler/settings.py)."""
