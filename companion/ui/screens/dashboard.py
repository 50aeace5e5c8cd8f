"""Today: restrictions with live countdowns, water, today's check-in and any alerts."""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from companion.core import clock, timefmt
from companion.core.appointments import Appointment, next_appointment
from companion.core.protocol import Protocol
from companion.core.restrictions import MonotonicCountdown, RestrictionState
from companion.core.status import Status
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
    left = clock.elapsed_seconds(now, coming.at)
    when = timefmt.clock_time(coming.at, now)
    note = f" ({coming.note})" if coming.note else ""
    return f"Next follow-up: {when}, in {timefmt.duration(left)}{note}"  # 'in under a minute' too


def appointment_shown(text: str, status: Status | None) -> bool:
    """Before the first session the welcome says what to do; the 'no follow-up' hint would be noise."""
    return text != NO_APPOINTMENT or (status is not None and status.session is not None)


def alerts_source(status: Status | None) -> str:
    """Which check-in the alerts come from, when it was not today's."""
    if status is None or status.latest_checkin is None:
        return ""
    return source_line(status.latest_checkin.date, clock.to_local(status.now).date())


def restrictions_title(states: list[RestrictionState]) -> str:
    active = any(s.ends_at is not None and s.active for s in states)
    return "Avoid for now" if active else "Restrictions over for this session"


class DashboardScreen(Screen[None]):
    """The home screen. Watches the app's status; the 1 s tick updates only the cards.

    Built from the status the app read before it started, so the first frame
    already holds the countdowns (no empty frame, no second layout pass).
    """

    TITLE = "Today"  # the header says 'companion · Today'

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "app.set_goal", "Water goal", show=False)]

    def __init__(self, protocol: Protocol, status: Status | None = None) -> None:
        super().__init__(id="dashboard")
        self.protocol = protocol
        self.countdown = MonotonicCountdown()
        self._initial = status
        self._session_id: str | None = None
        self._shown_cautions: tuple[str, bool] | None = None
        self._appointment_text: str | None = None
        self._card_for: dict[str, RestrictionCard] = {}
        """The countdown card of each timed restriction, by restriction id."""

    def compose(self) -> ComposeResult:
        status = self._initial
        has_session = status is not None and status.session is not None
        yield Header()
        with VerticalScroll(id="today"):
            warning = plain(zone_warning(status.zone) if status is not None else ZONE_WARNING)
            zone_line = Static(warning, id="zone-warning", classes="warning-line")
            zone_line.display = status is not None and status.zone.is_fallback
            yield zone_line
            yield AlertList(
                status.alerts if status else [],
                protocol=self.protocol,
                source=alerts_source(status),
                id="alerts",
            )
            yield self._appointment_static(status)
            if not has_session:
                yield self._welcome()
            restrictions = Vertical(id="restrictions", classes="box")
            restrictions.display = has_session
            restrictions.border_title = restrictions_title(status.restrictions if status else [])
            restrictions.border_subtitle = plain(session_line(status)) if status else ""
            with restrictions:
                if status is not None and status.session is not None:
                    self._session_id = status.session.id
                    yield from self._cards(status)
            with Horizontal(id="today-row"):
                hydration = status.hydration if status else None
                water = WaterTracker(
                    hydration.glasses if hydration else 0,
                    hydration.goal if hydration else self.protocol.hydration.default_goal,
                    self._extra_note(status),
                    id="water",
                    classes="box",
                )
                water.border_title = "Water today"
                water.border_subtitle = "w +1 · g goal"
                yield water
                done = status is not None and status.checkin_done
                checkin = Static(
                    checkin_line(status) if status else "",
                    id="checkin-status",
                    classes="box -done" if done else "box",
                )
                checkin.border_title = "Today's check-in"
                yield checkin
            cautions = Vertical(id="cautions", classes="box")
            cautions.display = has_session
            cautions.border_title = "Also go easy on"
            with cautions:
                if status is not None and status.session is not None:
                    self._shown_cautions = self._caution_key(status)
                    yield from self._cautions(status)
        yield GetHelpLine(self.protocol, id="get-help-line")
        yield KeyFooter()

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
        assert status.session is not None
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
        for state in status.restrictions:
            if state.ends_at is None:
                clinic = clinic_name(self.protocol, state.restriction)
                yield CautionCard(state.restriction, active=state.active, clinic=clinic)

    @staticmethod
    def _caution_key(status: Status) -> tuple[str, bool]:
        assert status.session is not None
        return status.session.id, any(s.active for s in status.restrictions if s.ends_at is None)

    def _extra_note(self, status: Status | None) -> str:
        return self.protocol.hydration.extra_water_note if status is not None and status.extra_water else ""

    def _appointment_static(self, status: Status | None) -> Static:
        """The follow-up line as it first shows (show_appointment keeps it current)."""
        now = status.now if status is not None else clock.now()
        text = appointment_line(getattr(self.app, "appointments", []), now)
        self._appointment_text = text
        line = Static(plain(text), id="next-appointment", classes="-none" if text == NO_APPOINTMENT else "")
        line.display = appointment_shown(text, status)
        return line

    def on_mount(self) -> None:
        # What the screen shows was set when it was composed; from here on only changes are applied.
        self.watch(self.app, "status", self.show_status, init=False)
        self.watch(self.app, "live_states", self.show_live, init=False)
        self.set_interval(APPOINTMENT_REFRESH_SECONDS, self.show_appointment, name="appointment")

    def welcome_text(self) -> str:
        return (
            "Welcome. companion keeps you company in the days after a dry-needling session: "
            "it counts down what to avoid and for how long, ticks off your water, and asks "
            "each day how you feel so it can tell you when something is not the usual course.\n\n"
            f"{self.protocol.disclaimer}\n\n"
            "Start by recording your session: press s (or the button), then type when it took place."
        )

    # ------------------------------------------------------------------ updates

    async def show_status(self, status: Status | None) -> None:
        """A new snapshot: change only what differs (cards are rebuilt only for a new session)."""
        if status is None:
            return
        self.query_one("#zone-warning").display = status.zone.is_fallback
        await self.query_one(AlertList).show(status.alerts, alerts_source(status))
        has_session = status.session is not None
        welcome = self.query("#welcome")
        if has_session:
            await welcome.remove()
        elif not welcome:
            await self.query_one("#today").mount(self._welcome(), before="#restrictions")
        self.query_one("#restrictions").display = has_session
        self.query_one("#cautions").display = has_session
        if has_session:
            self._show_session_line(status)
            await self._rebuild_cards(status)
        water = self.query_one(WaterTracker)
        water.glasses = status.hydration.glasses
        water.goal = status.hydration.goal
        water.extra_note = self._extra_note(status)
        self.show_appointment(status.now)
        checkin = self.query_one("#checkin-status", Static)
        checkin.update(checkin_line(status))
        checkin.set_class(status.checkin_done, "-done")

    def _show_session_line(self, status: Status) -> None:
        self.query_one("#restrictions").border_subtitle = plain(session_line(status))

    def show_appointment(self, now: DateTime | None = None) -> None:
        """The next follow-up and its countdown; only this line changes, and only when its text does."""
        appointments = getattr(self.app, "appointments", [])
        line = self.query_one("#next-appointment", Static)
        text = appointment_line(appointments, now or clock.now())
        if text != self._appointment_text:
            self._appointment_text = text
            line.update(plain(text))
            line.set_class(text == NO_APPOINTMENT, "-none")
        line.display = appointment_shown(text, getattr(self.app, "status", None) or self._initial)

    async def _rebuild_cards(self, status: Status) -> None:
        """New cards only when the session changes; the tick updates them after that."""
        assert status.session is not None
        if status.session.id != self._session_id:
            self._session_id = status.session.id
            box = self.query_one("#restrictions")
            await box.remove_children()
            self._card_for.clear()
            await box.mount_all(self._cards(status))
        caution_key = self._caution_key(status)
        if caution_key != self._shown_cautions:
            self._shown_cautions = caution_key
            box = self.query_one("#cautions")
            await box.remove_children()
            await box.mount_all(self._cautions(status))

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
