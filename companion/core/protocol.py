"""The after-care protocol: typed, immutable, validated when it is loaded.

The data lives in ``assets/guidance.toml`` (shipped inside the package). A broken
file raises :class:`ProtocolError` naming the item and the field.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from pendulum import DateTime

from companion.core.errors import ProtocolError
from companion.core.shipped import read_toml
from companion.core.substances import SubstanceTable, shipped_substances
from companion.core.text import shown
from companion.core.wording import noun

INTENSITIES: tuple[str, ...] = ("standard", "intense")
ALERT_LEVELS: tuple[str, ...] = ("contact-clinician", "urgent")
MAX_RESTRICTION_HOURS = 24 * 30  # a month: anything longer is a typo, not after-care
MAX_PROTOCOL_HOURS = 24 * 365  # thresholds and courses (a restriction's own limit is above)
KNOWN_SOURCES: frozenset[str] = frozenset({"000", "001", "002"})


class HasStart(typing.Protocol):
    """A session, as far as choosing its protocol goes."""

    @property
    def started_at(self) -> DateTime: ...


@dataclass(frozen=True)
class SourceView:
    """What one source article says on a point."""

    source: str
    says: str


@dataclass(frozen=True)
class Disagreement:
    """Sources that disagree; shown side by side, never resolved silently."""

    summary: str
    views: tuple[SourceView, ...]


@dataclass(frozen=True)
class Restriction:
    id: str
    title: str
    avoid: str
    why: str
    sources: tuple[str, ...]
    hours: Mapping[str, float] | None  # per intensity; None: no duration in the sources
    source_durations: tuple[SourceView, ...] = ()
    ended: str = ""
    disagreement: Disagreement | None = None
    origin: str = "guidance"
    own_choice: str = ""
    """What in this item is companion's own choice, not the articles' (said wherever it is shown)."""
    note: str = ""
    """A caution beyond the articles (the prescribed-medicine note), shown with `note_beyond`."""
    note_beyond: str = ""

    @property
    def labelled_note(self) -> str:
        """The note with where it comes from: '... (general safety advice, beyond the ...)'."""
        if not self.note:
            return ""
        return f"{self.note} ({self.note_beyond})" if self.note_beyond else self.note

    @property
    def timed(self) -> bool:
        return self.hours is not None

    def hours_for(self, intensity: str) -> float | None:
        if self.hours is None:
            return None
        return self.hours[intensity]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    detail: str
    why: str
    sources: tuple[str, ...]
    origin: str = "guidance"


@dataclass(frozen=True)
class Reaction:
    id: str
    title: str
    detail: str
    course: str
    sources: tuple[str, ...]
    usual_hours: float | None = None
    longest_hours: float | None = None
    origin: str = "guidance"


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: str
    title: str
    message: str
    sources: tuple[str, ...]
    after_hours: float | None = None
    min_soreness: int | None = None
    min_fatigue: int | None = None
    beyond_sources: str = ""
    origin: str = "guidance"
    short: str = ""
    """A few words for tight places (the history table); the id when not given."""
    min_rise: int | None = None
    """Points on a 0-10 scale that count as a real rise (the worsening rule)."""
    threshold: str = ""
    """What companion checks on the 0-10 scales: companion's own numbers, not the articles'."""
    note: str = ""
    """What a clinic added to the message (the only change the urgent sign allows)."""
    articles_title: str = ""
    """The title as the articles' numbers make it, when a clinic changed those numbers
    ('Soreness lasting more than 72 hours' beside the clinic's 96): shown beside the
    clinic's, never instead of it."""

    @property
    def label(self) -> str:
        return self.short or self.id

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"

    def where_from(self, clinic: Clinic | None) -> str:
        """Where the sign comes from, in a few words: 'articles 002', 'beyond the articles',
        'clinic (Riverside Physiotherapy)'."""
        clinic_name = clinic.name if clinic is not None else "your clinic"
        if self.beyond_sources:
            return "beyond the articles" + (f" (note from {clinic_name})" if self.note else "")
        if self.origin == "clinic" and not self.sources:
            return f"clinic ({clinic_name})"
        changed = f", changed by {clinic_name}" if self.origin == "clinic" else ""
        return f"{noun(len(self.sources), 'article')} {', '.join(self.sources)}{changed}"

    def titled(self, clinic: Clinic | None) -> str:
        """The title, and the articles' own where a clinic changed its numbers: 'Soreness
        lasting more than 96 hours (as Riverside set it; the articles: more than 72 hours)'."""
        if not self.articles_title:
            return self.title
        who = clinic.name if clinic is not None else "your clinic"
        articles = self.articles_title[:1].lower() + self.articles_title[1:]
        return f"{self.title} (as {who} set it; the after-care articles: {articles})"


OWN_THRESHOLD = "companion's own threshold, not the articles'"
"""How a red flag's `threshold` is labelled wherever it is shown."""


@dataclass(frozen=True)
class HydrationGuidance:
    default_goal: int
    extra_water_hours: float
    extra_water_note: str
    extra_water_sources: tuple[str, ...]


@dataclass(frozen=True)
class GetHelp:
    """When to get help, said up front: the texts around the red flags' own titles."""

    title: str
    line: str
    """One or two lines for Today and the welcome screen."""
    contact: str
    contact_sources: tuple[str, ...]
    urgent: str
    urgent_signs: str
    contact_action: str
    """What a contact-clinician alert asks, in a few words (for one-line reminders)."""
    urgent_action: str
    fallback: str
    fallback_beyond: str

    @property
    def labelled_fallback(self) -> str:
        return f"{self.fallback} ({self.fallback_beyond})"


@dataclass(frozen=True)
class Clinic:
    """The clinic whose own instructions override the general guidance."""

    name: str
    phone: str = ""

    def contact_line(self) -> str:
        if self.name and self.phone:
            return f"{self.name}: {self.phone}"
        return self.name or self.phone


@dataclass(frozen=True)
class Protocol:
    name: str
    disclaimer: str
    hydration: HydrationGuidance
    restrictions: tuple[Restriction, ...]
    checklist: tuple[ChecklistItem, ...]
    reactions: tuple[Reaction, ...]
    red_flags: tuple[RedFlag, ...]
    get_help: GetHelp
    thresholds_note: str
    clinic: Clinic | None = None
    """The clinic whose file is in effect (its items say 'as instructed by')."""
    contact_clinic: Clinic | None = None
    """Who to call, when it differs from `clinic`: the clinic file's [clinic] completed
    by what the patient gave with `companion config` (see core.contact)."""
    _flags_by_id: Mapping[str, RedFlag] = field(default_factory=dict, compare=False, repr=False)
    substances: SubstanceTable = field(default=SubstanceTable((), ()), compare=False, repr=False)
    """What `took` understands (assets/substances.toml, and a clinic's additions)."""
    applies_from: float | None = None
    """The start (a timestamp) of the first session this protocol applies to: a clinic file
    applies from the session it came with onwards. None: every session."""
    earlier: tuple[Protocol, ...] = field(default=(), compare=False, repr=False)
    """The protocols in effect before this one, in the order they came, each with its own
    `applies_from`: a session keeps the protocol that was in effect for it."""

    def for_session(self, session: HasStart | None) -> Protocol:
        """The protocol in effect for a session: this one, or the one before it came."""
        if session is None or not self.earlier:
            return self
        stamp = session.started_at.timestamp()
        for protocol in (self, *reversed(self.earlier)):
            if protocol.applies_from is None or protocol.applies_from <= stamp:
                return protocol
        return self.earlier[0]

    @property
    def who_to_call(self) -> Clinic | None:
        return self.contact_clinic or self.clinic

    @property
    def contact(self) -> str:
        """How to reach the clinician, for alert messages ('' when not known)."""
        who = self.who_to_call
        return who.contact_line() if who else ""

    def contact_flags(self) -> tuple[RedFlag, ...]:
        return tuple(f for f in self.red_flags if not f.urgent)

    def urgent_flags(self) -> tuple[RedFlag, ...]:
        return tuple(f for f in self.red_flags if f.urgent)

    def red_flag(self, flag_id: str) -> RedFlag | None:
        return self._flags_by_id.get(flag_id)

    def checklist_item(self, item_id: str) -> ChecklistItem | None:
        return next((item for item in self.checklist if item.id == item_id), None)

    def reaction(self, reaction_id: str) -> Reaction | None:
        return next((r for r in self.reactions if r.id == reaction_id), None)


# --------------------------------------------------------------------------- loading


class _Item:
    """Reads one TOML table, naming the item and field in every complaint."""

    def __init__(self, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ProtocolError(f"{where}: expected a table, got {type(data).__name__}")
        self.where = where
        self.data: dict[str, Any] = data

    def _fail(self, key: str, what: str) -> ProtocolError:
        return ProtocolError(f"{self.where}, field '{key}': {what}")

    def text(self, key: str, *, required: bool = True, allow_empty: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self._fail(key, "is missing")
            return ""
        if not isinstance(value, str):
            raise self._fail(key, f"must be text, got {type(value).__name__}")
        if not value.strip() and required and not allow_empty:
            raise self._fail(key, "must not be empty")
        return value.strip()

    def number(self, key: str, *, minimum: float = 0) -> float | None:
        """A number of hours (every number in the protocol is one), up to a year."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, f"must be a number of hours, got {shown(value)}")
        if not minimum <= value <= MAX_PROTOCOL_HOURS:
            raise self._fail(
                key, f"must be from {minimum:g} to {MAX_PROTOCOL_HOURS} hours (a year), got {shown(value)}"
            )
        return float(value)

    def integer(self, key: str, *, minimum: int = 0, maximum: int = 10) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, f"must be a whole number, got {shown(value)}")
        if not minimum <= value <= maximum:
            raise self._fail(key, f"must be from {minimum} to {maximum}, got {shown(value)}")
        return value

    @property
    def origin(self) -> str:
        return "clinic" if self.data.get("_origin") == "clinic" else "guidance"

    def sources(self, key: str = "sources", *, allow_empty: bool = False) -> tuple[str, ...]:
        # A clinic's own items come from the clinician, not from the articles.
        allow_empty = allow_empty or self.origin == "clinic"
        value = self.data.get(key)
        if value is None:
            if allow_empty:
                return ()
            raise self._fail(key, "is missing (every item keeps its source ids)")
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise self._fail(key, 'must be a list of source ids such as ["001"]')
        if not value and not allow_empty:
            raise self._fail(key, "must name at least one source")
        unknown = [s for s in value if s not in KNOWN_SOURCES]
        if unknown:
            raise self._fail(key, f"unknown source id(s) {unknown}; known: {sorted(KNOWN_SOURCES)}")
        return tuple(value)

    def views(self, key: str) -> tuple[SourceView, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._fail(key, "must be a list of {source, says} tables")
        views = []
        for i, raw in enumerate(value):
            item = _Item(f"{self.where}, {key}[{i}]", raw)
            source = item.text("source")
            if source not in KNOWN_SOURCES:
                raise item._fail("source", f"unknown source id {shown(source)}")
            views.append(SourceView(source=source, says=item.text("says")))
        return tuple(views)


def _restriction(i: int, raw: Any) -> Restriction:
    item = _Item(f"restriction[{i}]", raw)
    rid = item.text("id")
    item.where = f"restriction '{rid}'"
    hours_raw = item.data.get("hours")
    hours: dict[str, float] | None = None
    if hours_raw is not None:
        if not isinstance(hours_raw, dict):
            raise item._fail("hours", "must be a table like { standard = 24, intense = 48 }")
        hours = {}
        for intensity in INTENSITIES:
            value = hours_raw.get(intensity)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 < value <= MAX_RESTRICTION_HOURS
            ):
                raise item._fail(
                    f"hours.{intensity}",
                    f"must be a number of hours above 0 and at most {MAX_RESTRICTION_HOURS}, "
                    f"got {shown(value)}",
                )
            hours[intensity] = float(value)
        extra = set(hours_raw) - set(INTENSITIES)
        if extra:
            raise item._fail("hours", f"unknown intensity {sorted(extra)}; allowed: {INTENSITIES}")
    disagreement = None
    if "disagreement" in item.data:
        sub = _Item(f"{item.where}, disagreement", item.data["disagreement"])
        views = sub.views("views")
        if len({v.source for v in views}) < 2:
            raise sub._fail("views", "a disagreement needs views from at least two sources")
        disagreement = Disagreement(summary=sub.text("summary"), views=views)
    return Restriction(
        id=rid,
        title=item.text("title"),
        avoid=item.text("avoid"),
        why=item.text("why"),
        sources=item.sources(),
        hours=hours,
        source_durations=item.views("source_durations"),
        ended=item.text("ended", required=hours is not None),
        disagreement=disagreement,
        origin=item.origin,
        own_choice=item.text("own_choice", required=False),
        note=item.text("note", required=False),
        note_beyond=item.text("note_beyond", required=False),
    )


def _checklist_item(i: int, raw: Any) -> ChecklistItem:
    item = _Item(f"checklist[{i}]", raw)
    cid = item.text("id")
    item.where = f"checklist item '{cid}'"
    return ChecklistItem(
        id=cid,
        title=item.text("title"),
        detail=item.text("detail"),
        why=item.text("why"),
        sources=item.sources(),
        origin=item.origin,
    )


def _reaction(i: int, raw: Any) -> Reaction:
    item = _Item(f"reaction[{i}]", raw)
    rid = item.text("id")
    item.where = f"reaction '{rid}'"
    return Reaction(
        id=rid,
        title=item.text("title"),
        detail=item.text("detail"),
        course=item.text("course"),
        sources=item.sources(),
        usual_hours=item.number("usual_hours"),
        longest_hours=item.number("longest_hours"),
        origin=item.origin,
    )


PLACEHOLDERS: tuple[str, ...] = ("after_hours", "min_soreness", "min_fatigue", "min_rise")
"""Numbers a red flag's texts may name, so a clinic's new threshold reads right."""


def _red_flag(i: int, raw: Any) -> RedFlag:
    item = _Item(f"red_flag[{i}]", raw)
    fid = item.text("id")
    item.where = f"red flag '{fid}'"
    level = item.text("level")
    if level not in ALERT_LEVELS:
        raise item._fail("level", f"must be one of {ALERT_LEVELS}, got {shown(level)}")
    beyond = item.text("beyond_sources", required=False)
    numbers: dict[str, float | int | None] = {
        "after_hours": item.number("after_hours"),
        "min_soreness": item.integer("min_soreness"),
        "min_fatigue": item.integer("min_fatigue"),
        "min_rise": item.integer("min_rise", minimum=1),
    }

    def fill(text: str) -> str:
        for name in PLACEHOLDERS:
            mark = "{" + name + "}"
            if mark not in text:
                continue
            value = numbers[name]
            if value is None:
                raise item._fail(name, f"is missing, and the texts say {mark}")
            text = text.replace(mark, f"{value:g}")
        return text

    note = item.text("note", required=False)
    message = fill(item.text("message"))
    title = fill(item.text("title"))
    articles_title = ""
    articles = raw.get("_articles") if isinstance(raw, dict) else None
    if isinstance(articles, dict) and isinstance(articles.get("title"), str):
        shipped = articles["title"]
        for name in PLACEHOLDERS:
            value = articles.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                shipped = shipped.replace("{" + name + "}", f"{value:g}")
        if shipped != title and "{" not in shipped:
            articles_title = shipped
    after_hours = numbers["after_hours"]
    return RedFlag(
        id=fid,
        level=level,
        title=title,
        message=f"{message} {note}" if note else message,
        sources=item.sources(allow_empty=bool(beyond)),
        after_hours=float(after_hours) if after_hours is not None else None,
        min_soreness=item.integer("min_soreness"),
        min_fatigue=item.integer("min_fatigue"),
        beyond_sources=beyond,
        origin=item.origin,
        short=fill(item.text("short", required=False)),
        min_rise=item.integer("min_rise", minimum=1),
        threshold=fill(item.text("threshold", required=False)),
        note=note,
        articles_title=articles_title,
    )


def _get_help(data: Any) -> GetHelp:
    item = _Item("[get_help]", data)
    return GetHelp(
        title=item.text("title"),
        line=item.text("line"),
        contact=item.text("contact"),
        contact_sources=item.sources("contact_sources"),
        urgent=item.text("urgent"),
        urgent_signs=item.text("urgent_signs"),
        contact_action=item.text("contact_action"),
        urgent_action=item.text("urgent_action"),
        fallback=item.text("fallback"),
        fallback_beyond=item.text("fallback_beyond"),
    )


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ProtocolError(f"{kind} '{item_id}': the id appears more than once")
        seen.add(item_id)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProtocolError(f"'{key}' must be a list of tables ([[{key}]])")
    return value


def parse_protocol(data: dict[str, Any], clinic: Clinic | None = None) -> Protocol:
    """Validate parsed TOML and build the immutable protocol."""
    if data.get("schema") != 1:
        raise ProtocolError(f"field 'schema': expected 1, got {shown(data.get('schema'))}")
    meta = _Item("[meta]", data.get("meta", {}))
    hyd = _Item("[hydration]", data.get("hydration", {}))
    goal = hyd.integer("default_goal", minimum=1, maximum=40)
    extra = hyd.number("extra_water_hours")
    if goal is None or extra is None:
        raise ProtocolError("[hydration]: fields 'default_goal' and 'extra_water_hours' are required")
    restrictions = tuple(_restriction(i, r) for i, r in enumerate(_list(data, "restriction")))
    checklist = tuple(_checklist_item(i, c) for i, c in enumerate(_list(data, "checklist")))
    reactions = tuple(_reaction(i, r) for i, r in enumerate(_list(data, "reaction")))
    flags = tuple(_red_flag(i, f) for i, f in enumerate(_list(data, "red_flag")))
    _unique("restriction", [r.id for r in restrictions])
    _unique("checklist item", [c.id for c in checklist])
    _unique("reaction", [r.id for r in reactions])
    _unique("red flag", [f.id for f in flags])
    return Protocol(
        name=meta.text("name"),
        disclaimer=meta.text("disclaimer"),
        hydration=HydrationGuidance(
            default_goal=goal,
            extra_water_hours=extra,
            extra_water_note=hyd.text("extra_water_note"),
            extra_water_sources=hyd.sources("extra_water_sources"),
        ),
        restrictions=restrictions,
        checklist=checklist,
        reactions=reactions,
        red_flags=flags,
        get_help=_get_help(data.get("get_help")),
        thresholds_note=_Item("[thresholds]", data.get("thresholds", {})).text("note"),
        clinic=clinic,
        _flags_by_id={f.id: f for f in flags},
    )


def guidance_path() -> Path:
    """Where the shipped guidance lives: inside the installed package, or the source tree."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "assets" / "guidance.toml"  # companion/assets in the wheel
    if packaged.is_file():
        return packaged
    return here.parents[2] / "assets" / "guidance.toml"


@cache
def _guidance_parsed() -> dict[str, Any]:
    """The shipped file, read and parsed once per process (never handed out to be changed)."""
    path = guidance_path()
    try:
        return read_toml(path)
    except OSError as exc:
        raise ProtocolError(f"cannot read the protocol file {path}: {exc.strerror}") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError, or not UTF-8
        raise ProtocolError(f"{path.name} is not valid TOML: {exc}") from exc


def guidance_data() -> dict[str, Any]:
    """The shipped guidance as parsed TOML (a fresh copy each call: callers may change it)."""
    return copy.deepcopy(_guidance_parsed())


@cache
def default_protocol() -> Protocol:
    """The shipped guidance, loaded once per process."""
    protocol = parse_protocol(_guidance_parsed())  # parsing reads the data, never changes it
    known = frozenset(r.id for r in protocol.restrictions)
    return replace(protocol, substances=shipped_substances(known))
