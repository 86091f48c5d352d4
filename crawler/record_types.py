"""The types of an imported record's fields, checked against the article schema
(crawler/article_schema.py) rather than a second set of rules.

A dump written by hand or by another tool may say `"authors": "John Smith"` or
`"paywalled": "no"`; taken as they come, they were stored as single letters and as true, and
`"tags": 5` stopped the import. The schema's types are kept and its other rules left out
(lengths, formats: what normalise derives or refuses with its own reason); every field may be
absent or null, as the importer fills in what a record leaves out, and fields the schema does
not know (a dump's bookkeeping: id, version, ...) are ignored, as the importer ignores them.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from crawler.article_schema import ARTICLE_SCHEMA

_JSON_TYPES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
               list: "an array", dict: "an object", type(None): "null"}


def _types_only(schema: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {"type": schema["type"]}
    if "items" in schema:
        kept["items"] = _types_only(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        kept["additionalProperties"] = _types_only(schema["additionalProperties"])
    return kept


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"] if "null" not in kinds else kinds}


RECORD_SCHEMA: dict[str, Any] = {
    "$schema": ARTICLE_SCHEMA["$schema"],
    "type": "object",
    "properties": {name: _nullable(_types_only(field))
                   for name, field in ARTICLE_SCHEMA["properties"].items()},
}
_VALIDATOR = Draft202012Validator(RECORD_SCHEMA)


def _place(error: ValidationError) -> str:
    """`tags[1]`, `provenance.title`: where in the record the value is."""
    place = ""
    for step in error.absolute_path:
        place += f"[{step}]" if isinstance(step, int) else f".{step}" if place else str(step)
    return place


def _expected(error: ValidationError) -> str:
    kinds = error.validator_value if isinstance(error.validator_value, list) \
        else [error.validator_value]
    return " or ".join(f"an {k}" if k[0] in "aeiou" else f"a {k}" for k in kinds if k != "null")


def type_errors(record: dict[str, Any]) -> str | None:
    """Why the record's fields do not have the schema's types, in one line (the fields first,
    before a colon, so that rejections count per field), or None when they do."""
    errors = sorted(_VALIDATOR.iter_errors(record), key=lambda e: list(map(str, e.path)))
    if not errors:
        return None
    fields = dict.fromkeys(str(error.path[0]) for error in errors if error.path)
    # The schema holds types only, so every error is a `type` one, of a field or an item.
    said = [f"{_place(error)} is {_JSON_TYPES.get(type(error.instance), 'a value')}, "
            f"not {_expected(error)}" for error in errors]
    return f"wrong type of {', '.join(fields)}: {'; '.join(said)}"
