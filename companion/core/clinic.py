"""A clinic's own protocol: the clinician's instructions override the general guidance.

A clinic file has the same schema as ``assets/guidance.toml`` and may hold any subset:

```toml
schema = 1
[clinic]
name = "Leaside Physio"
phone = "+1 416 555 0100"

[remove]                 # items the clinic does not use
restriction = ["caffeine"]

[[restriction]]          # an id the guidance has: only the fields given change
id = "alcohol"
hours = { standard = 48, intense = 72 }

[[checklist]]            # a new id: a whole item, from the clinic
id = "ice-pack"
title = "Ice the area twice today"
detail = "..."
why = "..."
```

Items the clinic sets or changes carry ``origin = "clinic"`` so the app can say "as
instructed by <clinic>". Nothing is applied unless the whole file is valid: every text
in it (keys, ids, names, titles, messages) is checked for control characters first,
and a file nested deeper than any protocol needs is refused before it is walked.

The red flags are a safety net a clinic may tune but never take down: it may change
the thresholds and wording of the ``contact-clinician`` flags and add flags of its
own, but not remove a flag or lower its level, and the urgent sign keeps its meaning
and message (a clinic may add a ``note`` to it, such as the local emergency number).
A file that tries is refused whole, naming the flag.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import replace
from typing import Any

from companion.core.errors import InputError, ProtocolError
from companion.core.protocol import (
    ALERT_LEVELS,
    PLACEHOLDERS,
    Clinic,
    Protocol,
    default_protocol,
    guidance_data,
    parse_protocol,
)
from companion.core.text import check_text, find_control, shown

SECTIONS: dict[str, str] = {
    "restriction": "restriction",
    "checklist": "checklist item",
    "reaction": "reaction",
    "red_flag": "red flag",
}
TOP_LEVEL = {"schema", "clinic", "remove", "meta", "hydration", "substance", "negation", *SECTIONS}
PROSE = frozenset(
    {"detail", "why", "message", "course", "avoid", "ended", "says", "summary", "disclaimer"}
    | {"extra_water_note", "beyond_sources", "note"}
)
"""Fields that hold paragraphs: a newline is fine in them (as in a note), nowhere else."""
MAX_PROSE = 2000
MAX_LINE = 200
MAX_DEPTH = 8
"""The deepest nesting a protocol uses is 5 (restriction, disagreement, views, a view, says)."""
URGENT_FLAG = "urgent-breathing"
URGENT_FLAG_MAY_SET = frozenset({"id", "note"})
"""What a clinic may give for the urgent sign: a note added to its message, nothing else."""


def _level_rank(level: object) -> int:
    return ALERT_LEVELS.index(level) if isinstance(level, str) and level in ALERT_LEVELS else -1


def _guard_red_flags(base: dict[str, Any], clinic: dict[str, Any], name: str) -> None:
    """Refuse a clinic file that would remove a red flag, lower one, or change the urgent sign."""
    flags = {item.get("id"): item for item in base.get("red_flag", []) if isinstance(item, dict)}
    removals = clinic.get("remove", {})
    if isinstance(removals, dict) and isinstance(removals.get("red_flag"), list):
        for flag_id in removals["red_flag"]:
            if flag_id in flags:
                raise ProtocolError(
                    f"{name}, [remove], field 'red_flag': the red flag '{flag_id}' cannot be removed "
                    "(a clinic may change the thresholds and wording of a flag, never take a warning "
                    "sign away)"
                )
    items = clinic.get("red_flag", [])
    if not isinstance(items, list):
        return  # refused with its own message by the merge
    for item in items:
        if not isinstance(item, dict) or item.get("id") not in flags:
            continue
        flag_id = item["id"]
        base_level = flags[flag_id].get("level")
        if flag_id == URGENT_FLAG:
            changed = sorted(set(item) - URGENT_FLAG_MAY_SET)
            if changed:
                raise ProtocolError(
                    f"{name}, red flag '{flag_id}', field '{changed[0]}': the urgent sign keeps its "
                    "meaning, level and message; a clinic may only add a note to it (for example "
                    'note = "In the UK, call 999.")'
                )
        if "level" in item and 0 <= _level_rank(item["level"]) < _level_rank(base_level):
            raise ProtocolError(
                f"{name}, red flag '{flag_id}', field 'level': cannot be lowered from "
                f"{base_level} to {item['level']}"
            )


def parse_clinic_text(text: str, name: str = "clinic file") -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{name} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ProtocolError(f"{name} is nested too deeply to be a protocol") from None
    except ValueError:  # a number too long to convert (Python refuses over 4300 digits)
        raise ProtocolError(f"{name} holds a number too long to be a number of hours") from None
    check_texts(data, name)
    return data


def _where(data: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """A place in the file as the other refusals name it ("restriction 'sauna', field 'title'")."""
    head, rest = path[0], path[1:]
    if head in SECTIONS and rest and isinstance(rest[0], int):
        items = data.get(str(head))
        item = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        item_id = item.get("id") if isinstance(item, dict) else None
        if (
            isinstance(item_id, str)
            and item_id
            and find_control(item_id) is None
            and len(item_id) <= MAX_LINE
        ):
            place = f"{SECTIONS[str(head)]} '{item_id}'"
        else:
            place = f"{head}[{rest[0]}]"
        rest = rest[1:]
    elif head in TOP_LEVEL - SECTIONS.keys() and rest:
        place = f"[{head}]"
    else:
        place, rest = "", path
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest).lstrip(".")
    if not field:
        return place or "the file"
    return f"{place}, field '{field}'" if place else f"field '{field}'"


def check_texts(data: dict[str, Any], name: str = "clinic file") -> None:
    """Refuse a control character in any text of the file, keys and ids included, naming
    where; newlines only in the fields that hold paragraphs (PROSE)."""
    stack: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise ProtocolError(f"{name}, {_where(data, path)}: is nested too deeply for a protocol")
        try:
            if isinstance(node, dict):
                for key, value in node.items():
                    check_text(key, "key", limit=MAX_LINE, strip=False)
                    stack.append((value, (*path, key)))
            elif isinstance(node, list):
                stack.extend((value, (*path, i)) for i, value in enumerate(node))
            elif isinstance(node, str):
                key = next((part for part in reversed(path) if isinstance(part, str)), "")
                prose = key in PROSE
                check_text(node, "text", multiline=prose, limit=MAX_PROSE if prose else MAX_LINE, strip=False)
        except InputError as exc:
            raise ProtocolError(f"{name}, {_where(data, path)}: the {exc.field} {exc.message}") from None


def _clinic_info(data: dict[str, Any], name: str) -> Clinic | None:
    raw = data.get("clinic")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ProtocolError(f"{name}, [clinic]: expected a table with name and phone")
    clinic_name = raw.get("name")
    phone = raw.get("phone", "")
    if not isinstance(clinic_name, str) or not clinic_name.strip():
        raise ProtocolError(f"{name}, [clinic], field 'name': is missing")
    if not isinstance(phone, str):
        raise ProtocolError(f"{name}, [clinic], field 'phone': must be text")
    return Clinic(name=clinic_name.strip(), phone=phone.strip())


def _articles_version(section: str, target: dict[str, Any]) -> dict[str, Any] | None:
    """A shipped red flag's title and numbers as the articles set them, before a clinic
    changes them (kept so that both can be shown: the clinic's rule and the articles')."""
    if section != "red_flag" or target.get("_origin") == "clinic":
        return None
    return {key: target[key] for key in ("title", *PLACEHOLDERS) if key in target}


def merge_clinic(base: dict[str, Any], clinic: dict[str, Any], name: str = "clinic file") -> dict[str, Any]:
    """The guidance with the clinic's changes applied, as raw protocol data."""
    if clinic.get("schema", 1) != 1:
        raise ProtocolError(f"{name}, field 'schema': expected 1, got {shown(clinic.get('schema'))}")
    unknown = set(clinic) - TOP_LEVEL
    if unknown:
        listed = ", ".join(shown(key) for key in sorted(unknown)[:5])
        raise ProtocolError(f"{name}: unknown section(s) {listed}; allowed: {sorted(TOP_LEVEL)}")
    _guard_red_flags(base, clinic, name)
    merged = copy.deepcopy(base)
    for key in ("meta", "hydration"):
        if key in clinic:
            if not isinstance(clinic[key], dict):
                raise ProtocolError(f"{name}, [{key}]: expected a table")
            merged.setdefault(key, {}).update(clinic[key])
    removals = clinic.get("remove", {})
    if not isinstance(removals, dict):
        raise ProtocolError(f"{name}, [remove]: expected a table of id lists")
    for section, ids in removals.items():
        if section not in SECTIONS:
            raise ProtocolError(
                f"{name}, [remove]: unknown section {shown(section)}; allowed: {sorted(SECTIONS)}"
            )
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ProtocolError(f"{name}, [remove], field '{section}': must be a list of ids")
        known = {item.get("id") for item in merged.get(section, [])}
        for item_id in ids:
            if item_id not in known:
                raise ProtocolError(
                    f"{name}, [remove], field '{section}': there is no {SECTIONS[section]} {shown(item_id)}"
                )
        merged[section] = [item for item in merged.get(section, []) if item.get("id") not in ids]
    for section in SECTIONS:
        items = clinic.get(section, [])
        if not isinstance(items, list):
            raise ProtocolError(f"{name}: '{section}' must be a list of tables ([[{section}]])")
        existing = {item.get("id"): item for item in merged.get(section, [])}
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                raise ProtocolError(f"{name}, {section}[{i}], field 'id': is missing")
            target = existing.get(item["id"])
            if target is None:
                new_item = {**item, "_origin": "clinic"}
                merged.setdefault(section, []).append(new_item)
                existing[item["id"]] = new_item
                continue
            articles = _articles_version(section, target)
            for key, value in item.items():
                if key == "hours" and isinstance(value, dict) and isinstance(target.get("hours"), dict):
                    target["hours"] = {**target["hours"], **value}
                else:
                    target[key] = value
            if articles is not None and any(target.get(k) != articles.get(k) for k in PLACEHOLDERS):
                target["_articles"] = articles
            target["_origin"] = "clinic"
    return merged


def effective_protocol(clinic_text: str | None, name: str = "clinic file") -> Protocol:
    """The shipped guidance, with the clinic's file applied when there is one."""
    if not clinic_text:
        return default_protocol()
    base = guidance_data()
    data = parse_clinic_text(clinic_text, name)
    clinic = _clinic_info(data, name)
    merged = merge_clinic(base, data, name)
    try:
        protocol = parse_protocol(merged, clinic)
    except ProtocolError as exc:
        raise ProtocolError(f"{name}: {exc}") from None
    known = {r.id for r in protocol.restrictions}
    substances = default_protocol().substances.with_entries(data, known, name)
    return replace(protocol, substances=substances)


def validate_clinic_text(text: str, name: str = "clinic file") -> Protocol:
    """Check a clinic file fully before it is stored; raises ProtocolError naming item and field."""
    return effective_protocol(text, name)
