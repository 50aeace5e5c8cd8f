"""Today: restrictions with live countdowns, water, today's check-in and any alerts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Static

from companion.core import clock, timefmt
from companion.core.activities import RatingDue
from companion.core.appointments import Appointment, follow_up_phrase, next_appointment
from companion.core.protocol import Protocol
from companion.core.restrictions import MonotonicCountdown, RestrictionState
from companion.core.status import Status
from companion.core.wording import count
from companion.ui.compositor import use_cropped_compositor
from companion.ui.plain import plain
from companion.ui.widgets.alerts import AlertList, source_line
from companion.ui.widgets.caution import CautionCard
from companion.ui.widgets.clinic import clinic_name
from companion.ui.widgets.countdown import RestrictionCard
from companion.ui.widgets.get_help import GetHelpLine
from companion.ui.widgets.hydration import WaterTracker
from companion.ui.widgets.key_footer import KeyFooter


def session_line(status: Status) -> str:
    session = status.session
    if session is None:
        return ""
    areas = f", {', '.join(session.areas)}" if session.areas else ""
    when = timefmt.clock_time(session.started_at, status.now)
    ago = timefmt.ago(clock.elapsed_seconds(session.started_at, status.now))
    return f"Session {when} ({session.intensity}{areas}), {ago}"


def checkin_line(status: Status) -> str:
    today = status.checkin_today
    if today is not None:
        return (
            f"Done for today: soreness {today.soreness}, fatigue {today.fatigue}, "
            f"stiffness {today.stiffness}. Press c to change it."
        )
    return "Due: how do you feel today? Press c to check in (about a minute)."


APPOINTMENT_REFRESH_SECONDS = 5.0
ZONE_WARNING = "Time zone unknown, using UTC: set it with companion config --timezone"


def zone_warning(zone: clock.ZoneInfo) -> str:
    """The fallback warning, with the reason when there is one (an unreadable TZ)."""
    if zone.reason:
        return f"{zone.reason}. Using UTC: set yours with companion config --timezone"
    return ZONE_WARNING


NO_APPOINTMENT = "No follow-up booked yet: press p to add it to your plan."


def appointment_line(appointments: list[Appointment], now: DateTime) -> str:
    """'Next follow-up: Tue 09:00, in 21 h 26 min (note)', or how to add one."""
    coming = next_appointment(appointments, now)
    if coming is None:
        return NO_APPOINTMENT
    return f"Next follow-up: {follow_up_phrase(coming, now)}"


def appointment_shown(text: str, status: Status | None) -> bool:
    """Before the first session the welcome says what to do; the 'no follow-up' hint would be noise."""
    return text != NO_APPOINTMENT or (status is not None and status.session is not None)


def alerts_source(status: Status | None) -> str:
    """Which check-in the alerts come from, when it was not today's."""
    if status is None or status.latest_checkin is None:
        return ""
    return source_line(status.latest_checkin.date, clock.to_local(status.now).date())


@dataclass(frozen=True)
class CoursePrompt:
    """What the course of treatment asks today: the complaint's name, the weekly ratings."""

    complaint_named: bool
    due: tuple[RatingDue, ...] = ()


def course_prompt_line(prompt: CoursePrompt | None) -> str:
    """A gentle line on Today ('' when nothing is asked): name the problem, or the week's rating."""
    if prompt is None:
        return ""
    if not prompt.complaint_named:
        return "What do you see your physio for? Press n to name it in your own words (or skip it)."
    if prompt.due:
        if len(prompt.due) == 1:
            what = f"'{prompt.due[0].activity.name}'"
        else:
            what = f"your {count(len(prompt.due), 'activity', 'activities')}"
        when = "to start" if all(d.last is None for d in prompt.due) else "this week"
        return f"How well can you do {what} {when}? Press r to rate (0 to 10)."
    return ""


W = TypeVar("W", bound=Widget)


def restrictions_title(states: list[RestrictionState]) -> str:
    active = any(s.ends_at is not None and s.active for s in states)
    return "Avoid for now" if active else "Restrictions over for this session"


class DashboardScreen(Screen[None]):
    """The home screen. Watches the app's status; the 1 s tick updates only the cards.

    Built from the status the app read before it started, so the first frame already
    holds the countdowns (no empty frame, no second layout pass). Each widget is filled
    by one method (``_show_*``), called on it as compose builds it and again by
    :meth:`show_status` with each new snapshot.
    """

    TITLE = "Today"  # the header says 'companion · Today'

    BINDINGS: ClassVar[list[BindingType]] = [
        # Said in the water box ("u undo"): the footer keeps its room for the screens' keys at 80.
        Binding("u", "app.undo_water", "Undo", show=False, tooltip="Untick a glass ticked by mistake"),
        Binding("g", "app.set_goal", "Water goal", show=False),
        # Said in the course line when it asks (the footer is full at 80 columns).
        Binding("n", "app.name_complaint", "Name the problem", show=False),
        Binding("r", "app.rate_activities", "Rate activities", show=False),
    ]

    def __init__(self, protocol: Protocol, status: Status | None = None) -> None:
        super().__init__(id="dashboard")
        use_cropped_compositor(self)  # the 1 s tick renders the countdowns, not the whole page
        self.protocol = protocol
        self.countdown = MonotonicCountdown()
        self._status = status
        """The snapshot shown (the first one is read before the app starts)."""
        self._session_id: str | None = None
        self._cards_for: tuple[str, Protocol] | None = None
        """The session and the protocol the countdown cards were built for."""
        self._cautions_for: tuple[str, bool, Protocol] | None = None
        self._appointment_text: str | None = None
        self._card_for: dict[str, RestrictionCard] = {}
        """The countdown card of each timed restriction, by restriction id."""

    def compose(self) -> ComposeResult:
        status = self._status
        has_session = status is not None and status.session is not None
        yield Header()
        with VerticalScroll(id="today"):
            yield self._filled(Static(plain(ZONE_WARNING), id="zone-warning", classes="warning-line"))
            yield AlertList(
                status.alerts if status else [],
                protocol=self.protocol,
                source=alerts_source(status),
                id="alerts",
            )
            yield self._filled(Static("", id="next-appointment"))
            prompt_line = Static("", id="course-prompt")
            self._fill_course_prompt(prompt_line, getattr(self.app, "course_prompt", None))
            yield prompt_line
            if not has_session:
                yield self._welcome()
            with self._filled(Vertical(id="restrictions", classes="box")):
                if status is not None:
                    yield from self._cards(status)
            with Horizontal(id="today-row"):
                water = WaterTracker(goal=self.protocol.hydration.default_goal, id="water", classes="box")
                water.border_title = "Water today"
                water.border_subtitle = "w +1 · u undo · g goal"
                yield self._filled(water)
                checkin = Static("", id="checkin-status", classes="box")
                checkin.border_title = "Today's check-in"
                yield self._filled(checkin)
            cautions = Vertical(id="cautions", classes="box")
            cautions.border_title = "Also go easy on"
            with self._filled(cautions):
                if status is not None:
                    yield from self._cautions(status)
        yield GetHelpLine(self.protocol, id="get-help-line")
        yield KeyFooter()

    def _filled(self, widget: W) -> W:
        """A widget as compose builds it, filled from the first snapshot by the method that
        keeps it current."""
        show = getattr(self, f"_show_{(widget.id or '').replace('-', '_')}")
        show(widget, self._status)
        return widget

    def on_mount(self) -> None:
        # What the screen shows was set when it was composed; from here on only changes are applied.
        self.watch(self.app, "status", self.show_status, init=False)
        self.watch(self.app, "live_states", self.show_live, init=False)
        self.watch(self.app, "course_prompt", self.show_course_prompt, init=False)
        self.watch(self.app, "protocol", self.show_protocol, init=False)
        self.set_interval(APPOINTMENT_REFRESH_SECONDS, self.show_appointment, name="appointment")

    def welcome_text(self) -> str:
        return (
            "Welcome. companion keeps you company in the days after a dry-needling session: "
            "it counts down what to avoid and for how long, ticks off your water, and asks "
            "each day how you feel so it can tell you when something is not the usual course.\n\n"
            f"{self.protocol.disclaimer}\n\n"
            "Start by recording your session: press s (or the button), then type when it took place."
        )

    def _welcome(self) -> Vertical:
        """Only before the first session: what the app is, and the way to record one."""
        return Vertical(
            Static(plain(self.welcome_text()), id="welcome-text"),
            Button(
                "Record my session (s)",
                id="welcome-session",
                variant="primary",
                compact=True,
                action="app.new_session",
            ),
            id="welcome",
        )

    def _cards(self, status: Status) -> ComposeResult:
        """A countdown card per timed restriction of the session."""
        if status.session is None:
            return
        self._session_id = status.session.id
        self._cards_for = (status.session.id, self.protocol)
        self._card_for.clear()
        for state in status.restrictions:
            if state.ends_at is None:
                continue
            card = RestrictionCard(
                state.restriction,
                state.ends_at,
                state.total_seconds or 1,
                clinic=clinic_name(self.protocol, state.restriction),
                seconds_left=self.countdown.seconds(status.session.id, state),
                id=f"card-{state.id}",
            )
            self._card_for[state.id] = card
            yield card

    def _cautions(self, status: Status) -> ComposeResult:
        """A card per untimed restriction (no duration in the sources)."""
        if status.session is None:
            return
        self._cautions_for = self._caution_key(status)
        for state in status.restrictions:
            if state.ends_at is None:
                clinic = clinic_name(self.protocol, state.restriction)
                yield CautionCard(state.restriction, active=state.active, clinic=clinic)

    def _caution_key(self, status: Status) -> tuple[str, bool, Protocol]:
        assert status.session is not None
        active = any(s.active for s in status.restrictions if s.ends_at is None)
        return status.session.id, active, self.protocol

    # ------------------------------------------------------------------ one method per widget

    def _show_zone_warning(self, line: Static, status: Status | None) -> None:
        if status is not None:
            line.update(plain(zone_warning(status.zone)))
        line.display = status is not None and status.zone.is_fallback

    def _show_next_appointment(
        self, line: Static, status: Status | None, now: DateTime | None = None
    ) -> None:
        """The next follow-up and its countdown; repainted only when its text changes."""
        moment = now or (status.now if status is not None else clock.now())
        text = appointment_line(status.appointments if status is not None else [], moment)
        if text != self._appointment_text:
            self._appointment_text = text
            line.update(plain(text))
            line.set_class(text == NO_APPOINTMENT, "-none")
        line.display = appointment_shown(text, status)

    def _show_restrictions(self, box: Vertical, status: Status | None) -> None:
        has_session = status is not None and status.session is not None
        box.display = has_session
        if status is not None and status.session is not None:
            box.border_subtitle = plain(session_line(status))
        title = restrictions_title(status.restrictions if status else [])
        if box.border_title != title:  # setting it repaints the whole box, even to the same text
            box.border_title = title

    def _show_water(self, water: WaterTracker, status: Status | None) -> None:
        if status is not None:
            note = self.protocol.hydration.extra_water_note if status.extra_water else ""
            day, glass = status.hydration, status.glass
            amount = glass.day_amount(day.glasses, day.goal) if glass else ""
            water.show_day(day.glasses, day.goal, note, amount)

    def _show_checkin_status(self, line: Static, status: Status | None) -> None:
        if status is not None:
            line.update(checkin_line(status))
            line.set_class(status.checkin_done, "-done")

    def show_course_prompt(self, prompt: CoursePrompt | None) -> None:
        self._fill_course_prompt(self.query_one("#course-prompt", Static), prompt)

    def _fill_course_prompt(self, line: Static, prompt: CoursePrompt | None) -> None:
        text = course_prompt_line(prompt)
        line.update(plain(text))
        line.display = bool(text)

    def _show_cautions(self, box: Vertical, status: Status | None) -> None:
        box.display = status is not None and status.session is not None

    # ------------------------------------------------------------------ updates

    async def show_status(self, status: Status | None) -> None:
        """A new snapshot: change only what differs (cards are rebuilt only for a new session
        or a new protocol)."""
        if status is None:
            return
        self._status = status
        self._show_zone_warning(self.query_one("#zone-warning", Static), status)
        await self.query_one(AlertList).show(status.alerts, alerts_source(status))
        has_session = status.session is not None
        welcome = self.query("#welcome")
        if has_session:
            await welcome.remove()
        elif not welcome:
            await self.query_one("#today").mount(self._welcome(), before="#restrictions")
        restrictions = self.query_one("#restrictions", Vertical)
        cautions = self.query_one("#cautions", Vertical)
        self._show_restrictions(restrictions, status)
        self._show_cautions(cautions, status)
        if status.session is not None:
            if not self._built_for(self._cards_for, status.session.id):
                await restrictions.remove_children()
                await restrictions.mount_all(self._cards(status))
            if not self._built_for(self._cautions_for, *self._caution_key(status)[:2]):
                await cautions.remove_children()
                await cautions.mount_all(self._cautions(status))
        self._show_water(self.query_one(WaterTracker), status)
        self._show_next_appointment(self.query_one("#next-appointment", Static), status)
        self._show_checkin_status(self.query_one("#checkin-status", Static), status)

    def _built_for(self, built: tuple[object, ...] | None, *key: object) -> bool:
        """Whether cards were built for this key (session...) and the protocol now in effect."""
        return built is not None and built[:-1] == key and built[-1] is self.protocol

    def show_appointment(self) -> None:
        """Every few seconds: the follow-up's countdown moves on."""
        self._show_next_appointment(self.query_one("#next-appointment", Static), self._status, clock.now())

    def show_protocol(self, protocol: Protocol) -> None:
        """Another protocol (a clinic file imported meanwhile): the cards follow with the next
        snapshot, which the app reads right after."""
        self.protocol = protocol
        self.query_one(GetHelpLine).show_protocol(protocol)
        self.query_one(AlertList).show_protocol(protocol)
        for text in self.query("#welcome-text").results(Static):
            text.update(plain(self.welcome_text()))

    def show_live(self, states: list[RestrictionState]) -> None:
        """The 1 s tick: set each card's seconds; only the cards whose text changes repaint."""
        if self._session_id is None:
            return
        for state in states:
            card = self._card_for.get(state.id)
            if card is not None:
                card.seconds_left = self.countdown.seconds(self._session_id, state)
        title = restrictions_title(states)
        box = self.query_one("#restrictions")
        if box.border_title != title:  # setting it repaints the whole box, even to the same text
            box.border_title = title
