"""Today: restrictions with live countdowns, water, today's check-in and any alerts."""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from companion.core import clock, timefmt
from companion.core.appointments import Appointment, next_appointment
from companion.core.protocol import Protocol
from companion.core.restrictions import MonotonicCountdown, RestrictionState
from companion.core.status import Status
from companion.ui.widgets.alerts import AlertList
from companion.ui.widgets.caution import CautionCard
from companion.ui.widgets.clinic import clinic_name
from companion.ui.widgets.countdown import RestrictionCard
from companion.ui.widgets.hydration import WaterTracker


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
NO_APPOINTMENT = "No follow-up booked yet: press p to add it to your plan."


def appointment_line(appointments: list[Appointment], now: DateTime) -> str:
    """'Next follow-up: Tue 09:00, in 21 h 26 min (note)', or how to add one."""
    coming = next_appointment(appointments, now)
    if coming is None:
        return NO_APPOINTMENT
    left = clock.elapsed_seconds(now, coming.at)
    when = timefmt.clock_time(coming.at, now)
    soon = "in under a minute" if left < 60 else f"in {timefmt.duration(left)}"
    note = f" ({coming.note})" if coming.note else ""
    return f"Next follow-up: {when}, {soon}{note}"


class DashboardScreen(Screen[None]):
    """The home screen. Watches the app's status; the 1 s tick updates only the cards."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "app.set_goal", "Water goal", show=False)]

    def __init__(self, protocol: Protocol) -> None:
        super().__init__(id="dashboard")
        self.protocol = protocol
        self.countdown = MonotonicCountdown()
        self._session_id: str | None = None
        self._shown_cautions: tuple[str, bool] | None = None
        self._appointment_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="today"):
            yield Static("", id="zone-warning", classes="warning-line")
            yield AlertList(protocol=self.protocol, id="alerts")
            yield Static("", id="next-appointment")
            with Vertical(id="welcome"):
                yield Static(id="welcome-text")
                yield Button(
                    "Record my session (s)",
                    id="welcome-session",
                    variant="primary",
                    compact=True,
                    action="app.new_session",
                )
            with Vertical(id="restrictions", classes="box"):
                yield Vertical(id="timed")
            with Horizontal(id="today-row"):
                yield WaterTracker(id="water", classes="box")
                yield Static("", id="checkin-status", classes="box")
            yield Vertical(id="cautions", classes="box")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#restrictions").border_title = "Avoid for now"
        self.query_one("#water").border_title = "Water today"
        self.query_one("#water").border_subtitle = "w +1 · g goal"
        self.query_one("#checkin-status").border_title = "Today's check-in"
        self.query_one("#cautions").border_title = "Also go easy on"
        self.query_one("#welcome-text", Static).update(self.welcome_text())
        self.watch(self.app, "status", self.show_status)
        self.watch(self.app, "live_states", self.show_live)
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
        if status is None:
            return
        warning = self.query_one("#zone-warning", Static)
        if status.zone.is_fallback:
            warning.update("Time zone unknown, using UTC: set it with companion config --timezone")
        warning.display = status.zone.is_fallback
        await self.query_one(AlertList).show(status.alerts)
        has_session = status.session is not None
        self.query_one("#welcome").display = not has_session
        self.query_one("#restrictions").display = has_session
        self.query_one("#cautions").display = has_session
        if has_session:
            self.query_one("#restrictions").border_subtitle = session_line(status)
            await self._rebuild_cards(status)
        water = self.query_one(WaterTracker)
        water.glasses = status.hydration.glasses
        water.goal = status.hydration.goal
        water.extra_note = self.protocol.hydration.extra_water_note if status.extra_water else ""
        self.show_appointment(status.now)
        checkin = self.query_one("#checkin-status", Static)
        checkin.update(checkin_line(status))
        checkin.set_class(status.checkin_done, "-done")
        self.show_live(status.restrictions)

    def show_appointment(self, now: DateTime | None = None) -> None:
        """The next follow-up and its countdown; only this line changes, and only when its text does."""
        appointments = getattr(self.app, "appointments", [])
        line = self.query_one("#next-appointment", Static)
        text = appointment_line(appointments, now or clock.now())
        if text != self._appointment_text:
            self._appointment_text = text
            line.update(text)
        line.set_class(text == NO_APPOINTMENT, "-none")
        status = getattr(self.app, "status", None)
        # Before the first session the welcome says what to do; the hint would only add noise.
        line.display = text != NO_APPOINTMENT or (status is not None and status.session is not None)

    async def _rebuild_cards(self, status: Status) -> None:
        """New cards only when the session changes; the tick updates them after that."""
        assert status.session is not None
        timed = [s for s in status.restrictions if s.ends_at is not None]
        untimed = [s for s in status.restrictions if s.ends_at is None]
        if status.session.id != self._session_id:
            self._session_id = status.session.id
            box = self.query_one("#timed")
            await box.remove_children()
            await box.mount_all(
                RestrictionCard(
                    s.restriction,
                    s.ends_at,  # type: ignore[arg-type]
                    s.total_seconds or 1,
                    clinic=clinic_name(self.protocol, s.restriction),
                    id=f"card-{s.id}",
                )
                for s in timed
            )
        caution_key = (status.session.id, any(s.active for s in untimed))
        if caution_key != self._shown_cautions:
            self._shown_cautions = caution_key
            box = self.query_one("#cautions")
            await box.remove_children()
            await box.mount_all(
                CautionCard(s.restriction, active=s.active, clinic=clinic_name(self.protocol, s.restriction))
                for s in untimed
            )

    def show_live(self, states: list[RestrictionState]) -> None:
        """The 1 s tick: set each card's seconds; only changed labels re-render."""
        if self._session_id is None:
            return
        for state in states:
            if state.ends_at is None:
                continue
            try:
                card = self.query_one(f"#card-{state.id}", RestrictionCard)
            except Exception:
                continue
            card.seconds_left = self.countdown.seconds(self._session_id, state)
        self._update_cautions_title(states)

    def _update_cautions_title(self, states: list[RestrictionState]) -> None:
        active = [s for s in states if s.ends_at is not None and s.active]
        box = self.query_one("#restrictions")
        box.border_title = "Avoid for now" if active else "All clear: the restrictions are over"
