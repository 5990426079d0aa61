"""Every mistake in a settings file, each with its line, in words IT staff can act on.

``tomllib`` gives a line only for a syntax error, and msgspec stops at the first mistake and
names it by a JSON path (``$.limits.max_conections``). So the settings are checked one by one
against the structs that declare them (server/config.py: one struct per ``[section]``, one
field per setting, its range and its extra check in its ``Annotated`` metadata), and the line
of each is found by a small scan of the file for ``[section]`` headers and ``key =`` lines.
What ``check-config`` prints and what every command says when it refuses ``config.toml`` are
these same sentences.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)

#: The key of a setting's extra check in its ``msgspec.Meta(extra=...)``: a function of the
#: value (already of the declared type) returning what is wrong with it, or ``None``.
CHECK = "check"

Check = Callable[[Any], str | None]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake: its line (0 when the file has none to point at), the setting it is about
    (``[server] port``, ``[sever]``; empty for a syntax error) and what to do."""

    line: int
    where: str
    text: str

    def format(self, file: str) -> str:
        """``config.toml:LINE: [section] key: what is wrong; what is expected``."""
        place = f"{file}:{self.line}" if self.line else file
        return f"{place}: {self.where}: {self.text}" if self.where else f"{place}: {self.text}"


# ---------------------------------------------------------------------- where keys are


_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_ASSIGN = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(dotted))


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The first line (from 1) of each table header and key, by its full dotted path:
    ``("server",)`` for ``[server]``, ``("server", "port")`` for ``port =`` under it. Lines
    inside multi-line strings are skipped; keys inside inline tables are found through their
    table (:func:`line_of`)."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            found.setdefault(table, number)
        else:
            assign = _ASSIGN.match(line)
            if assign:
                found.setdefault(table + _parts(assign.group(1)), number)
        in_string = quotes % 2 == 1
    return found


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int:
    """The line of ``path``, else of the nearest table or key holding it (an inline table)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0


# ---------------------------------------------------------------------- what is expected


def _bounds(kind: Any) -> tuple[Any, Any]:
    low = kind.ge if kind.ge is not None else kind.gt
    high = kind.le if kind.le is not None else kind.lt
    return low, high


def _number(value: Any) -> str:
    """As it would be typed in the file: 65535, 0.01."""
    return str(value) if isinstance(value, int) else f"{value:g}"


def expected(kind: msgspec.inspect.Type) -> str:
    """What a setting of this declared type takes, as a phrase: "a whole number from 1 to
    65 535", "true or false", "one of "info", "debug"", …"""
    if isinstance(kind, msgspec.inspect.Metadata):
        return expected(kind.type)
    if isinstance(kind, msgspec.inspect.BoolType):
        return "true or false"
    if isinstance(kind, msgspec.inspect.IntType | msgspec.inspect.FloatType):
        what = "a whole number" if isinstance(kind, msgspec.inspect.IntType) else "a number"
        low, high = _bounds(kind)
        if low is not None and high is not None:
            return f"{what} from {_number(low)} to {_number(high)}"
        if low is not None:
            return f"{what} of at least {_number(low)}"
        if high is not None:
            return f"{what} of at most {_number(high)}"
        return what
    if isinstance(kind, msgspec.inspect.StrType):
        return "a text in double quotes"
    if isinstance(kind, msgspec.inspect.LiteralType):
        return "one of " + ", ".join(f'"{v}"' for v in kind.values)
    if isinstance(kind, msgspec.inspect.ListType):
        return f"a list of {_items(kind.item_type)} ([] for none)"
    return "a value of another kind"


def _items(kind: msgspec.inspect.Type) -> str:
    """What each item of a list takes, in the plural."""
    if isinstance(kind, msgspec.inspect.Metadata):
        return _items(kind.type)
    if isinstance(kind, msgspec.inspect.StrType):
        return "texts in double quotes"
    if isinstance(kind, msgspec.inspect.IntType):
        return "whole numbers"
    return "values"


def toml_value(value: Any) -> str:
    """``value`` as it is written in TOML: what ``init`` writes, and how a mistake is quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number with decimals"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table of settings"
    return "a date or time"


def _fits(value: Any, kind: msgspec.inspect.Type) -> bool:
    """Whether ``value`` is of the kind ``kind`` takes, leaving ranges aside."""
    if isinstance(kind, msgspec.inspect.Metadata):
        return _fits(value, kind.type)
    if isinstance(kind, msgspec.inspect.BoolType):
        return isinstance(value, bool)
    if isinstance(kind, msgspec.inspect.IntType):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, msgspec.inspect.FloatType):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(kind, msgspec.inspect.StrType | msgspec.inspect.LiteralType):
        return isinstance(value, str)
    if isinstance(kind, msgspec.inspect.ListType):
        return isinstance(value, list)
    return False


def _wrong(value: Any, kind: msgspec.inspect.Type) -> str:
    """What is wrong with ``value``, which msgspec refused for ``kind``."""
    want = expected(kind)
    inner = kind.type if isinstance(kind, msgspec.inspect.Metadata) else kind
    if not _fits(value, inner):
        return f"{toml_value(value)} is {_kind_of(value)}; expected {want}"
    if isinstance(inner, msgspec.inspect.IntType | msgspec.inspect.FloatType):
        low, _high = _bounds(inner)
        size = "too small" if low is not None and value < low else "too large"
        return f"{toml_value(value)} is {size}; expected {want}"
    if isinstance(inner, msgspec.inspect.LiteralType):
        return f"{toml_value(value)} is not one of the choices; expected {want}"
    if isinstance(inner, msgspec.inspect.ListType):
        for n, item in enumerate(value, 1):
            if not _fits(item, inner.item_type):
                return f"item {n}, {toml_value(item)}, is {_kind_of(item)}; expected {want}"
    return f"{toml_value(value)} is not accepted; expected {want}"


# ---------------------------------------------------------------------- checking


def _suggest(name: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _settings(root: type[msgspec.Struct]) -> Iterator[tuple[str, msgspec.inspect.StructType]]:
    info = msgspec.inspect.type_info(root)
    assert isinstance(info, msgspec.inspect.StructType)
    for section in info.fields:
        assert isinstance(section.type, msgspec.inspect.StructType)
        yield section.name, section.type


def _extra_check(kind: msgspec.inspect.Type) -> Check | None:
    extra = getattr(kind, "extra", None) or {}
    check: Check | None = extra.get(CHECK)
    return check


def _check_section(
    name: str, raw: dict[str, Any], struct: msgspec.inspect.StructType, homes: dict[str, str]
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    fields = {f.name: f.type for f in struct.fields}
    for key, value in raw.items():
        where = f"[{name}] {key}"
        kind = fields.get(key)
        if kind is None:
            close = _suggest(key, list(fields))
            if close is not None:
                hint = f"did you mean {close}?"
            elif key in homes:
                hint = f"it belongs in [{homes[key]}]"
            else:
                hint = f"[{name}] has {', '.join(fields)}"
            yield (name, key), where, f"unknown setting; {hint}"
            continue
        try:
            msgspec.convert({key: value}, struct.cls)
        except msgspec.ValidationError:
            yield (name, key), where, _wrong(value, kind)
            continue
        check = _extra_check(kind)
        trouble = check(value) if check is not None else None
        if trouble is not None:
            yield (name, key), where, trouble


def _check_tree(
    raw: dict[str, Any], root: type[msgspec.Struct]
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    sections = dict(_settings(root))
    homes = {f.name: name for name, s in sections.items() for f in s.fields}
    for name, value in raw.items():
        struct = sections.get(name)
        if struct is None:
            if not isinstance(value, dict) and name in homes:
                text = f"a setting outside any section; put it under [{homes[name]}]"
                yield (name,), name, text
                continue
            close = _suggest(name, list(sections))
            hint = (
                f"did you mean [{close}]?"
                if close is not None
                else "the sections are " + ", ".join(f"[{s}]" for s in sections)
            )
            yield (name,), f"[{name}]", f"unknown section; {hint}"
        elif not isinstance(value, dict):
            shown = f"{toml_value(value)} is {_kind_of(value)}"
            yield (name,), f"[{name}]", f"{shown}; expected a [{name}] section of settings"
        else:
            yield from _check_section(name, value, struct, homes)


_TWICE = re.compile(r"Cannot declare \((.*)\) twice")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _syntax(exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """tomllib's message, with its position as the line and a hint for the usual slip."""
    message = str(exc)
    at = _AT.search(message)
    reason = message[: at.start()] if at else message
    if at is not None and at.group(1):
        line, where = int(at.group(1)), f"at column {at.group(2)}"
    else:  # "at end of document": something left open (a quote, a bracket)
        line, where = max(1, len(text.splitlines())), "at the end of the file"
    hints = {  # tomllib's words for the usual slips
        "Invalid value": ' (a text goes in double quotes: host = "10.20.0.5")',
        "Expected newline or end of document after a statement": (
            ' (a text goes in double quotes: host = "10.20.0.5")'
        ),
        "Cannot overwrite a value": " (a setting given twice)",
    }
    hint = hints.get(reason, "")
    twice = _TWICE.fullmatch(reason)
    if twice is not None:  # "Cannot declare ('server',) twice"
        reason = f"[{'.'.join(_parts(twice.group(1)))}] appears twice"
    return Problem(line, "", f"not valid TOML {where}: {reason[:1].lower()}{reason[1:]}{hint}")


def check(text: str, root: type[S]) -> tuple[S | None, list[Problem]]:
    """The settings in ``text`` as ``root``, or ``None`` and every mistake, in file order."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax(exc, text)]
    lines = key_lines(text)
    found = sorted(
        Problem(line_of(lines, path), where, what) for path, where, what in _check_tree(raw, root)
    )
    if found:
        return None, found
    return msgspec.convert(raw, root), []
