"""The strict YAML loader behind every input file: the case file and a clinic's aftercare rules.

Validation is strict (unknown keys, wrong types, out-of-range values, duplicate keys and
malformed YAML are all errors) and every failure becomes one
:class:`~smpstudio.errors.InputError` (of the caller's subclass) whose message names the
field, the value received and what is allowed.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from smpstudio.errors import InputError

ModelT = TypeVar("ModelT", bound=BaseModel)

_TYPE_WORDS = {
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "date_type": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_inexact": "a date YYYY-MM-DD",
    "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
    "list_type": "a list",
    "tuple_type": "a pair [u_mm, v_mm]",
    "missing": "given",
    "finite_number": "a finite number",
}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise InputError(str(key), f"a repeat at line {line}", "given once")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def validate_yaml_text(
    text: str,
    model: type[ModelT],
    *,
    source: str,
    error: type[InputError] = InputError,
    field_prefix: str = "",
    empty: str = "a mapping",
) -> ModelT:
    """Parse ``text`` as YAML (duplicate keys refused) and validate it against ``model``.

    Parameters
    ----------
    text
        The file's text.
    model
        A strict pydantic model (``extra="forbid"``) of the whole file.
    source
        The file's name, for messages about the YAML itself.
    error
        The :class:`InputError` subclass to raise.
    field_prefix
        Put before every field name (``"clinic.yaml:"``); the case file uses none.
    empty
        What the top level should be, for the message when it is not a mapping.

    Raises
    ------
    error
        For malformed YAML or any invalid field; the message names the field and value.
    """
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{source} line {mark.line + 1}" if mark is not None else source
        raise error(where, exc.problem, "well-formed YAML") from None
    except yaml.YAMLError as exc:
        raise error(source, str(exc), "well-formed YAML") from None
    except InputError as exc:  # a duplicate key
        raise error(field_prefix + exc.field, exc.value, exc.allowed) from None
    except ValueError as exc:  # e.g. an impossible date such as 2027-13-01
        raise error(source, str(exc), "well-formed YAML with real dates") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise error(source, type(raw).__name__, empty)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        field, value, allowed = _first_error(exc, model)
        raise error(field_prefix + field, value, allowed) from None


def _first_error(exc: ValidationError, root: type[BaseModel]) -> tuple[str, Any, str]:
    err = exc.errors(include_url=False)[0]
    loc = _clean_loc(err["loc"])
    field = _dotted(loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        known = ", ".join(parent.model_fields) if parent else "the documented keys"
        return (field, loc[-1], f"a known key ({known})")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return (f"{field}.kind", _tag(value), "one of line | fue")
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "")
        expected = expected.replace(" or ", ", ")
        return (field, value, "one of " + expected.replace(", ", " | "))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return (field, value, _range_text(root, loc, err.get("ctx", {})))
    if kind == "value_error":
        message = str(err.get("msg", ""))
        allowed = message.split("allowed:", 1)[1] if "allowed:" in message else message
        return (field, value, allowed)
    if kind == "string_pattern_mismatch":
        return (field, value, _described(root, loc) or f"text matching {err['ctx']['pattern']}")
    if kind in ("too_short", "too_long"):
        ctx = err.get("ctx", {})
        lo, hi = ctx.get("min_length"), ctx.get("max_length")
        size = f"at least {lo}" if kind == "too_short" else f"at most {hi}"
        return (field, _short(value), f"a list of {size} items")
    words = _TYPE_WORDS.get(kind, str(err.get("msg", "valid")).lower())
    if kind == "missing":
        return (field, None, "given")
    return (field, _short(value), words)


def _described(root: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The ``description`` of the field at ``loc`` (what it allows, in words), if any."""
    parent = _model_at(root, loc[:-1])
    info = parent.model_fields.get(str(loc[-1])) if parent is not None else None
    return info.description if info is not None else None


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    cleaned: list[int | str] = []
    for i, part in enumerate(loc):
        # Discriminated unions insert the tag ('line' or 'fue') after the list index.
        if (
            isinstance(part, str)
            and i > 0
            and isinstance(loc[i - 1], int)
            and part
            in (
                "line",
                "fue",
            )
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "case"


def _model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _find_model(field.annotation)
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


def _range_text(root: type[BaseModel], loc: tuple[int | str, ...], ctx: dict[str, Any]) -> str:
    bounds = _field_bounds(root, loc)
    lo = bounds.get("ge", bounds.get("gt"))
    hi = bounds.get("le", bounds.get("lt"))
    if lo is not None and hi is not None:
        return f"{_num(lo)}..{_num(hi)}"
    for key, word in (("ge", ">="), ("le", "<="), ("gt", ">"), ("lt", "<")):
        if key in ctx:
            return f"{word} {_num(ctx[key])}"
    return "in range"


def _field_bounds(root: type[BaseModel], loc: tuple[int | str, ...]) -> dict[str, Any]:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return {}
    model = _model_at(root, tuple(loc[:-1])) if isinstance(loc[-1], str) else None
    if model is None or names[-1] not in model.model_fields:
        # A point coordinate: the range is the one of Point.
        return {"ge": -300, "le": 300}
    field = model.model_fields[names[-1]]
    found: dict[str, Any] = {}
    _collect_bounds(field.annotation, found)
    for meta in field.metadata:
        _collect_meta(meta, found)
    return found


def _collect_bounds(annotation: Any, found: dict[str, Any]) -> None:
    for meta in getattr(annotation, "__metadata__", ()):
        _collect_meta(meta, found)
        for inner in getattr(meta, "metadata", ()):
            _collect_meta(inner, found)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            _collect_bounds(arg, found)


def _collect_meta(meta: Any, found: dict[str, Any]) -> None:
    for key in ("ge", "le", "gt", "lt"):
        if getattr(meta, key, None) is not None:
            found[key] = getattr(meta, key)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _tag(value: Any) -> Any:
    return value.get("kind") if isinstance(value, dict) else value


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 60 else text[:57] + "..."
