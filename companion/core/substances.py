"""What a patient logs with `took`, and the after-care pause it falls under.

The words live in ``assets/substances.toml`` (a clinic file may add its own), not in
code: names for each restriction, and negations that cancel one ("decaf coffee" is
not caffeine, "non-alcoholic beer" is not alcohol). A name matches when its words
appear together, in order, in what was typed; case, hyphens and punctuation do not
matter. What the patient typed is never rewritten: only the matching reads words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from companion.core.errors import ProtocolError
from companion.core.shipped import read_toml

NO_PAUSE = ""
"""The restriction of a known name that falls under no pause (paracetamol)."""
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")


def words(text: str) -> tuple[str, ...]:
    """'Non-alcoholic Beer 0.0%' -> ('non', 'alcoholic', 'beer', '0.0')."""
    return tuple(_WORD.findall(text.casefold()))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


@dataclass(frozen=True)
class Classification:
    """What a logged name falls under."""

    restrictions: tuple[str, ...]
    """The pauses it falls under (most often one; 'rum and coke' two), in the table's order."""
    recognised: bool
    """Whether any known name (or a negation) was in it: an unknown one gets a word about
    what the pauses cover."""


@dataclass(frozen=True)
class SubstanceTable:
    names: tuple[tuple[tuple[str, ...], str], ...]
    """(the name's words, restriction id or NO_PAUSE), later entries winning a clash."""
    negations: tuple[tuple[tuple[str, ...], str], ...]

    def classify(self, what: str) -> Classification:
        typed = words(what)
        found: dict[tuple[str, ...], str] = {}
        for name, restriction in self.names:
            if _contains(typed, name):
                found[name] = restriction
        cancelled = {r for phrase, r in self.negations if _contains(typed, phrase)}
        order = list(dict.fromkeys(r for _, r in self.names))
        under = sorted({r for r in found.values() if r != NO_PAUSE and r not in cancelled}, key=order.index)
        return Classification(tuple(under), bool(found) or bool(cancelled))

    def suggestions(self) -> list[str]:
        """The names, as typed, for completing what the patient starts to type."""
        return list(dict.fromkeys(" ".join(name) for name, _ in self.names))

    def with_entries(self, data: dict[str, Any], known: set[str], where: str) -> SubstanceTable:
        """This table with a file's [[substance]] and [[negation]] tables added (they win)."""
        names, negations = parse_entries(data, known, where)
        return SubstanceTable(self.names + names, self.negations + negations)


def _phrases(item: dict[str, Any], key: str, where: str) -> list[tuple[str, ...]]:
    raw = item.get(key)
    if not isinstance(raw, list) or not raw or not all(isinstance(n, str) for n in raw):
        raise ProtocolError(f"{where}, field '{key}': must be a list of names such as [\"coffee\"]")
    found = []
    for name in raw:
        phrase = words(name)
        if not phrase:
            raise ProtocolError(f"{where}, field '{key}': {name!r} has no letters or digits")
        found.append(phrase)
    return found


def parse_entries(
    data: dict[str, Any], known: set[str], where: str
) -> tuple[tuple[tuple[tuple[str, ...], str], ...], tuple[tuple[tuple[str, ...], str], ...]]:
    """The [[substance]] and [[negation]] tables of a file; restrictions must be in `known`."""
    result: dict[str, list[tuple[tuple[str, ...], str]]] = {"substance": [], "negation": []}
    for section, key in (("substance", "names"), ("negation", "words")):
        items = data.get(section, [])
        if not isinstance(items, list):
            raise ProtocolError(f"{where}: '{section}' must be a list of tables ([[{section}]])")
        for i, item in enumerate(items):
            at = f"{where}, {section}[{i}]"
            if not isinstance(item, dict):
                raise ProtocolError(f"{at}: expected a table")
            restriction = item.get("restriction")
            allowed = known if section == "negation" else known | {NO_PAUSE}
            if not isinstance(restriction, str) or restriction not in allowed:
                choices = ", ".join(sorted(known))
                raise ProtocolError(
                    f"{at}, field 'restriction': must be one of {choices}"
                    + ("" if section == "negation" else ' or "" (under no pause)')
                    + f"; got {restriction!r}"
                )
            result[section].extend((phrase, restriction) for phrase in _phrases(item, key, at))
    return tuple(result["substance"]), tuple(result["negation"])


def substances_path() -> Path:
    """Beside guidance.toml: inside the installed package, or the source tree."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "assets" / "substances.toml"
    if packaged.is_file():
        return packaged
    return here.parents[2] / "assets" / "substances.toml"


@cache
def shipped_substances(known: frozenset[str]) -> SubstanceTable:
    """The shipped table, read once; `known` are the restriction ids it may name."""
    path = substances_path()
    try:
        data = read_toml(path)
    except OSError as exc:
        raise ProtocolError(f"cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError, or not UTF-8
        raise ProtocolError(f"{path.name} is not valid TOML: {exc}") from exc
    if data.get("schema") != 1:
        raise ProtocolError(f"{path.name}, field 'schema': expected 1, got {data.get('schema')!r}")
    names, negations = parse_entries(data, set(known), path.name)
    return SubstanceTable(names, negations)
