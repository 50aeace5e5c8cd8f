"""Red-flag alerts: when a check-in means the patient should contact the clinician.

A check-in is judged against the latest session that started before its moment, and
against the earlier check-ins since that session. The thresholds come from the
protocol's red flags (so a clinic can change them); the rules are these:

- long-soreness: soreness >= min_soreness in a check-in more than after_hours after the session
- worsening: soreness (or fatigue) at min_soreness (min_fatigue) or more and at least
  min_rise points above its lowest value since it had started to fall; or, in a
  check-in more than after_hours after the session (past the usual course of
  soreness), at least min_rise points above the check-in before
- severe-pain: soreness >= min_soreness, or sharp pain
- long-fatigue: fatigue >= min_fatigue more than after_hours after the session
- heavy-bruising: bruising "severe"
- urgent-breathing: breathing trouble (urgent care, not a message to the clinic)

A flare-up tick alone raises nothing: the articles call a brief flare-up a normal
healing response. Rules that need a session (the hours, the earlier check-ins of
the same session) do not apply to a check-in with no session before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.core import clock
from companion.core.checkins import CheckIn, by_moment
from companion.core.protocol import Protocol, RedFlag, default_protocol
from companion.core.sessions import Session, latest_before

# The order alerts are shown in: urgent first, then as the contract lists them.
ALERT_ORDER: tuple[str, ...] = (
    "urgent-breathing",
    "severe-pain",
    "long-soreness",
    "worsening",
    "long-fatigue",
    "heavy-bruising",
)
# The contract's numbers for the worsening rule, used when a protocol leaves one out.
WORSENING_FLOOR = 3
WORSENING_RISE = 2
WORSENING_AFTER_HOURS = 48.0


@dataclass(frozen=True)
class Alert:
    id: str
    level: str
    title: str
    message: str
    sources: tuple[str, ...]
    beyond_sources: str = ""
    action: str = ""
    """What to do, in a few words ('contact your physiotherapist today')."""
    contact: str = ""
    """Who to call ('Riverside Physiotherapy: +44 20 7946 0000'), for a contact-clinician alert."""
    advice: str = ""
    """The message without who to call (shown once under several alerts)."""

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level, "message": self.message}


def _alert(protocol: Protocol, flag: RedFlag, contact: str = "") -> Alert:
    message = flag.message
    reach = contact if contact and flag.level != "urgent" else ""
    if reach:
        message = f"{message} ({reach})"
    help_ = protocol.get_help
    return Alert(
        id=flag.id,
        level=flag.level,
        title=flag.title,
        message=message,
        sources=flag.sources,
        beyond_sources=flag.beyond_sources,
        action=help_.urgent_action if flag.urgent else help_.contact_action,
        contact=reach,
        advice=flag.message,
    )


def scale_worsened(earlier: list[int], current: int, *, floor: int, rise: int, late: bool) -> bool:
    """Whether one 0-10 scale got worse: `earlier` are its values in the earlier check-ins of
    the session, oldest first.

    At `floor` or more, and `rise` points above its lowest value since it first fell
    (6, 4, 6: a relapse); or, when `late` (past the usual course), `rise` points above
    the check-in before. A rise before any fall is the usual first-day peak.
    """
    if current < floor or not earlier:
        return False
    if late and current - earlier[-1] >= rise:
        return True
    fell_at = next((i for i in range(1, len(earlier)) if earlier[i] < earlier[i - 1]), None)
    if fell_at is None:
        return False
    return current - min(earlier[fell_at:]) >= rise


def _worsening(flag: RedFlag, checkin: CheckIn, before: list[CheckIn], hours_since: float) -> bool:
    rise = flag.min_rise if flag.min_rise is not None else WORSENING_RISE
    after = flag.after_hours if flag.after_hours is not None else WORSENING_AFTER_HOURS
    late = hours_since > after
    for scale, floor in (("soreness", flag.min_soreness), ("fatigue", flag.min_fatigue)):
        values = [getattr(c, scale) for c in before]
        level = WORSENING_FLOOR if floor is None else floor
        if scale_worsened(values, getattr(checkin, scale), floor=level, rise=rise, late=late):
            return True
    return False


def earlier_since_session(checkin: CheckIn, earlier: list[CheckIn], session: Session | None) -> list[CheckIn]:
    """Check-ins before this one and not before its session, oldest first."""
    start = session.started if session is not None else float("-inf")
    stamp = checkin.moment.timestamp()
    return by_moment([c for c in earlier if c.id != checkin.id and start <= c.moment.timestamp() < stamp])


def judge_checkin(
    protocol: Protocol,
    checkin: CheckIn,
    earlier: list[CheckIn],
    session: Session | None,
    contact: str | None = None,
) -> list[Alert]:
    """The alerts one check-in raises.

    ``earlier`` are check-ins before this one (any order; those before the session
    are ignored). ``session`` is the latest session before the check-in, or None.
    """
    reach = protocol.contact if contact is None else contact  # who to call is who to call now
    protocol = protocol.for_session(session)  # the thresholds in effect for that session
    moment = checkin.moment
    hours_since = clock.elapsed_seconds(session.started_at, moment) / 3600 if session is not None else None
    fired: set[str] = set()

    def flag(flag_id: str) -> RedFlag | None:
        # A protocol cannot drop a red flag (a clinic file that tries is refused); should one
        # ever lack it all the same, the shipped guidance's flag still fires.
        return protocol.red_flag(flag_id) or default_protocol().red_flag(flag_id)

    if (f := flag("urgent-breathing")) and checkin.breathing_trouble:
        fired.add(f.id)
    if (f := flag("severe-pain")) and (
        checkin.sharp_pain or (f.min_soreness is not None and checkin.soreness >= f.min_soreness)
    ):
        fired.add(f.id)
    if (f := flag("heavy-bruising")) and checkin.bruising == "severe":
        fired.add(f.id)
    if hours_since is not None:
        if (
            (f := flag("long-soreness"))
            and f.after_hours is not None
            and hours_since > f.after_hours
            and checkin.soreness >= (f.min_soreness if f.min_soreness is not None else 1)
        ):
            fired.add(f.id)
        if (
            (f := flag("long-fatigue"))
            and f.after_hours is not None
            and hours_since > f.after_hours
            and checkin.fatigue >= (f.min_fatigue if f.min_fatigue is not None else 1)
        ):
            fired.add(f.id)
    if (f := flag("worsening")) and hours_since is not None:
        before = earlier_since_session(checkin, earlier, session)
        if before and _worsening(f, checkin, before, hours_since):
            fired.add(f.id)
    alerts = [_alert(protocol, f, reach) for fid in ALERT_ORDER if fid in fired and (f := flag(fid))]
    return alerts


def no_alert_text(protocol: Protocol) -> str:
    """What a check-in that raises no alert is told. Not "all is well": anything unusual
    (a new numbness the patient wrote in the note, say) means calling, and no rule can see it."""
    unusual = protocol.red_flag("unusual") or default_protocol().red_flag("unusual")
    tail = f" {unusual.message}" if unusual is not None else ""
    return f"No alert from these answers.{tail}"


def belongs_to(checkin: CheckIn, sessions: list[Session], current: Session | None) -> bool:
    """Whether the check-in was made under `current` (the latest session started), so its
    alerts are still current; with no session at all, every check-in belongs."""
    judged = latest_before(sessions, checkin.moment)
    if judged is None or current is None:
        return judged is None and current is None
    return judged.started == current.started


def alerts_for_latest(
    protocol: Protocol,
    checkins: list[CheckIn],
    sessions: list[Session],
    contact: str | None = None,
) -> tuple[CheckIn | None, list[Alert]]:
    """The most recent check-in and the alerts it raised. Most recent by the moment it was
    made, not by its date: after a move west, a check-in made later carries an earlier date
    than one made before the move."""
    if not checkins:
        return None, []
    latest = max(checkins, key=lambda c: c.moment.timestamp())
    session = latest_before(sessions, latest.moment)
    return latest, judge_checkin(protocol, latest, checkins, session, contact)


def current_alerts(
    protocol: Protocol,
    checkins: list[CheckIn],
    sessions: list[Session],
    current: Session | None,
    contact: str | None = None,
) -> tuple[CheckIn | None, list[Alert]]:
    """The alerts that are current: those of the most recent check-in, as long as it was
    made under `current`, the latest session started. Once a new session is recorded, a
    check-in made before it raises no current alerts: (None, []); its alerts stay in the
    history and reports."""
    if not checkins:
        return None, []
    latest = max(checkins, key=lambda c: c.moment.timestamp())
    if not belongs_to(latest, sessions, current):
        return None, []
    return alerts_for_latest(protocol, checkins, sessions, contact)
