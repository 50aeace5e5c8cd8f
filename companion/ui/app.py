"""The companion app: one factory builds it, from the context the CLI and the tests open alike
(companion.context)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from pendulum import DateTime
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from companion import collector
from companion.core import clock
from companion.core.errors import InputError
from companion.core.hydration import extra_water_applies
from companion.core.protocol import Protocol, default_protocol
from companion.core.restrictions import RestrictionState, newly_ended, restriction_states, states_at
from companion.core.status import Status
from companion.core.text import printable
from companion.core.wording import count
from companion.queries import complaint_named, load_ratings_due, load_status
from companion.store import StoreError
from companion.ui.commands import CompanionCommands
from companion.ui.messages import AddWater, DataChanged, OpenCheckin
from companion.ui.screens.dashboard import CoursePrompt, DashboardScreen, zone_warning

if TYPE_CHECKING:
    from companion.context import Context
    from companion.core.reminders import Reminder
    from companion.ui.screens.goal import WaterChoice

TICK_SECONDS = 1.0
POLL_SECONDS = 2.0
REMINDER_SECONDS = 60.0
LOCK_WAIT_SECONDS = 1.0
"""Saves run on the event loop: wait this long for another process's save, then say it is busy
(the command line's default wait of 30 s would freeze the screen)."""
WATER_NUDGE_SECONDS = 90 * 60
"""At most one water nudge this often (a setting may replace it later)."""


FOCUS_KEYS = frozenset({"tab", "shift+tab", "f2", "f3", "f4", "f5"})
"""The keys that move the focus: Tab between boxes, on every screen, and the plan's tab keys
(plan.TAB_KEYS) to another tab's first box."""

FOCUS_KEY_LOST_SECONDS = 3.0
"""When a Tab and the marker behind it are both still away this long, the screen they were in
has closed: the keys typed after them stop waiting (it takes milliseconds otherwise)."""

MODAL_ACTIONS = frozenset({"quit", "command_palette", "get_help", "focus_next", "focus_previous"})
"""The app's actions that still work while a dialog is open."""


class CompanionApp(App[int]):
    """Holds the store, the protocol and the status every screen watches; the protocol is
    assembled again when another process changes it (a clinic file imported)."""

    CSS_PATH = "app.tcss"
    TITLE = "companion"
    SUB_TITLE = "not a clinician: your physio's advice comes first"
    COMMANDS = App.COMMANDS | {CompanionCommands}
    SCREEN_NAME_SEPARATOR = " · "
    BINDINGS: ClassVar[list[BindingType]] = [
        # When to get help, from every screen: "!" wherever no text box has the keyboard,
        # F1 always (the footer shows whichever works where the patient is).
        Binding("exclamation_mark", "get_help", "Get help", key_display="!"),
        Binding("f1", "get_help", "Get help", key_display="F1", priority=True),
        Binding("w", "add_water", "Water"),
        Binding("c", "checkin", "Check-in"),
        Binding("l", "checklist", "List"),
        Binding("h", "history", "History"),
        Binding("s", "new_session", "Session"),
        Binding("p", "plan", "Plan"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "back", "Back", show=False),
    ]

    # None of these repaints the app (a reactive's default): the screens watching them
    # update only the widgets whose text changes. A repaint here would redraw the whole
    # screen on every 1 s tick (about 10 KB/s to the terminal while idle).
    protocol: reactive[Protocol] = reactive(default_protocol, init=False, repaint=False)
    """The protocol in effect (the clinic's file, who to call); screens opened later take it."""
    status: reactive[Status | None] = reactive(None, always_update=True, init=False, repaint=False)
    """The latest snapshot from the store; screens watch it."""
    live_states: reactive[list[RestrictionState]] = reactive(list, init=False, repaint=False)
    """The restrictions recomputed on each 1 s tick (only the countdowns use it)."""
    course_prompt: reactive[CoursePrompt | None] = reactive(None, init=False)
    """Whether the complaint is named and which activities' weekly rating is due (Today's
    gentle line); read after the first paint."""

    def __init__(self, context: Context) -> None:
        super().__init__()
        context.store.lock_timeout = LOCK_WAIT_SECONDS
        self.context = context
        self.store = context.store
        self.set_reactive(CompanionApp.protocol, context.protocol)
        self.zone = context.zone
        self.day: dt.date = clock.today()
        self._revision: tuple[object, ...] | None = None
        self._last_states: list[RestrictionState] = []
        self._last_session_id: str | None = None
        self._reminded: set[str] = set()
        """The keys of the reminders shown (each once; the water nudge is timed instead)."""
        self._last_water_nudge: DateTime | None = None
        self._initial_status: Status | None = None
        self._opening: Screen[object] | None = None
        """The screen being built (after its key was pressed, until it is mounted and focused)."""
        self._held_input: list[events.Key | events.Paste] = []
        """What the patient typed while that screen was being built, in order, for that screen."""
        self._focus_key_in_flight = 0
        """Which Tab (its number) is on its way through the screen to its binding; 0 when none is."""
        self._focus_keys_sent = 0
        self._after_focus_key: list[events.Key | events.Paste] = []
        """What the patient typed after that Tab, in order: it waits for the Tab to act."""
        self._complaint_skipped = False
        """The patient skipped naming the problem: Today stops asking until the next start."""

    # ------------------------------------------------------------------ start

    def get_default_screen(self) -> Screen[None]:
        # Read the store before the first frame, so the dashboard is built with its data.
        self._initial_status = self._read_status(clock.now(), quiet=True)  # on_mount says why
        # Today's line about the course too: shown in the first frame, nothing moves after it.
        prompt = self._course_prompt()
        if prompt is not None:
            self.set_reactive(CompanionApp.course_prompt, prompt)
        return DashboardScreen(self.protocol, self._initial_status)

    def on_mount(self) -> None:
        try:
            theme = self.store.settings().theme
        except StoreError:
            theme = None
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._initial_status is not None:
            self._publish(self._initial_status)
        else:
            self.reload_status()
        self._show_notices()  # also when the store could not be read at all
        if self.zone.is_fallback:
            self.notify(zone_warning(self.zone), severity="warning", timeout=10)
        self.set_interval(TICK_SECONDS, self.tick, name="tick")
        self.set_interval(POLL_SECONDS, self.poll_store, name="poll")
        self.set_interval(REMINDER_SECONDS, self.check_reminders, name="reminders")
        self.call_after_refresh(self.check_reminders)
        self.call_after_refresh(collector.resume)  # the start is done (see companion/collector.py)

    def _remember_theme(self, _theme: object) -> None:
        try:
            if self.store.settings().theme != self.theme:
                self.store.update_settings(theme=self.theme)
        except StoreError as exc:
            self.notify(f"The theme could not be remembered: {exc}", severity="warning")

    def format_title(self, title: str, sub_title: str) -> Content:
        """'companion · History — not a clinician: …': the screen's name (its TITLE) after the
        app's, and the reminder that companion is not a clinician, on every screen."""
        if title != self.title:
            title = f"{self.title}{self.SCREEN_NAME_SEPARATOR}{title}"
        return super().format_title(title, sub_title)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice of the app (screens' included, which pass ``markup=True``): plain text.

        Notices quote what the patient typed, a record's text or a file name: a "[/]"
        in one must show as it is (as markup it would stop the notice drawing), and a
        control character must never reach the terminal. So ``markup`` is ignored.
        """
        super().notify(
            printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False
        )

    # ------------------------------------------------------------------ status

    def reload_status(self, now: DateTime | None = None) -> None:
        """Read the store once and hand the snapshot to whoever watches it."""
        status = self._read_status(now if now is not None else clock.now())
        if status is not None:
            self._publish(status)

    def _read_status(self, moment: DateTime, *, quiet: bool = False) -> Status | None:
        """The store's state at `moment`; None, and the patient told unless `quiet`, if unreadable."""
        try:
            # The revision first: a write landing while we read shows up at the next poll.
            revision = self.store.revision()
            status = load_status(self.store, self.protocol, self.zone, moment)
            self._revision = revision
        except StoreError as exc:
            if not quiet:
                self.notify(f"Your data could not be read: {exc}", severity="error", timeout=10)
            return None
        return status

    def _publish(self, status: Status) -> None:
        """Hand a snapshot to the screens; say so if a restriction ended since the last one."""
        self.day = status.now.date()
        session_id = status.session.id if status.session else None
        if session_id == self._last_session_id and self._last_states:
            self._announce_end(newly_ended(self._last_states, status.restrictions))
        self._last_session_id = session_id
        self._last_states = status.restrictions
        self.status = status
        self.live_states = status.restrictions
        self._show_notices()
        self.call_after_refresh(self.read_course_prompt)

    def _course_prompt(self) -> CoursePrompt | None:
        """What Today's gentle line about the course asks (None when the store cannot be read)."""
        try:
            named = self._complaint_skipped or complaint_named(self.store)
            return CoursePrompt(named, tuple(load_ratings_due(self.store)))
        except StoreError:
            return None

    def read_course_prompt(self) -> None:
        prompt = self._course_prompt()
        if prompt is not None and prompt != self.course_prompt:
            self.course_prompt = prompt

    def _show_notices(self) -> None:
        """What the store found and did: a damaged file repaired, a record set aside, a
        backup that could not be taken, an interrupted import completed."""
        for notice in self.store.take_notices():
            self.notify(notice, title="About your data", severity="warning", timeout=20)

    def tick(self) -> None:
        """Once a second: recompute the countdowns from the clock; nothing else re-renders."""
        now = clock.now()
        status = self.status
        if status is None or now.date() != self.day:
            self.reload_status(now)  # a new day: new water boxes, check-in due again
            return
        if status.session is None:
            return
        # The ends were worked out with the snapshot (this session, this protocol): move them on.
        states = (
            states_at(self._last_states, now)
            if self._last_states
            else restriction_states(self.protocol, status.session, now)
        )
        ended = newly_ended(self._last_states, states)
        if ended or extra_water_applies(self.protocol, status.session, now) != status.extra_water:
            self.reload_status(now)
            return
        self._last_states = states
        self.live_states = states

    def _announce_end(self, ended: list[RestrictionState]) -> None:
        """One notice for the restrictions that just ended (they usually end together)."""
        if not ended:
            return
        lines = [s.restriction.ended or f"{s.restriction.title}: the restriction is over." for s in ended]
        title = "A restriction has ended" if len(ended) == 1 else "Restrictions have ended"
        self.notify("\n".join(lines), title=title, timeout=15)

    # ------------------------------------------------------------------ reminders

    def check_reminders(self, now: DateTime | None = None) -> list[Reminder]:
        """Each due reminder once (the water nudge at most every 90 minutes); returns those shown."""
        from companion.core.reminders import due_reminders  # after the first paint

        moment = now if now is not None else clock.now()
        status = self.status
        if now is None and status is not None and moment.date() == self.day:
            # The snapshot is current (any change reloads it) but for the clock: move it on.
            status = replace(status, now=moment, restrictions=self._last_states or status.restrictions)
        else:
            try:
                status = load_status(self.store, self.protocol, self.zone, moment)
            except StoreError:
                return []
        shown = []
        for reminder in due_reminders(status):
            if reminder.kind in ("restriction-ended", "alert"):
                continue  # the app says so itself: a notice when a restriction ends, alerts on Today
            if reminder.kind == "water":
                last = self._last_water_nudge
                if last is not None and clock.elapsed_seconds(last, moment) < WATER_NUDGE_SECONDS:
                    continue
                self._last_water_nudge = moment
            elif reminder.key in self._reminded:
                continue
            self._reminded.add(reminder.key)
            self.notify(worded(reminder), title="Reminder", timeout=15)
            shown.append(reminder)
        return shown

    def poll_store(self) -> None:
        """Another process (the CLI) may have written: reload when the files changed, the
        protocol too when its clinic file or who to call changed."""
        try:
            revision = self.store.revision()
        except (StoreError, OSError):
            return
        if revision != self._revision:
            self.reload_protocol()
            self.reload_status()

    def reload_protocol(self) -> None:
        try:
            changed = self.context.reload_protocol()
        except StoreError:
            return  # reload_status says why
        if changed:
            self.protocol = self.context.protocol

    def on_data_changed(self, _message: DataChanged) -> None:
        self.reload_status()

    # ------------------------------------------------------------------ navigation

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog (the urgent-care one above all) must be answered first; when to get
        # help opens over it all the same.
        # Tab and shift+tab (the screen's keys, acting on the app) move between a dialog's boxes.
        return not (isinstance(self.screen, ModalScreen) and action not in MODAL_ACTIONS)

    def leave_then(self, go: Callable[[], object]) -> None:
        """Leave the screen showing (go to another, or quit), asking first when a form holds
        unsaved changes: save, discard, or keep editing. Every way out comes through here."""
        from companion.ui.screens.form import FormScreen, UnsavedChangesModal

        if isinstance(self.screen, UnsavedChangesModal):
            self.bell()  # the question is showing: answer it first
            return
        form = next(
            (s for s in reversed(self.screen_stack) if isinstance(s, FormScreen) and s.has_unsaved_changes),
            None,
        )
        if form is None:
            go()
            return

        def answered(choice: str | None) -> None:
            if choice == "discard" or (choice == "save" and form.save_before_leaving()):
                go()

        self.push_screen(UnsavedChangesModal(form.FORM_NAME), answered)

    async def action_quit(self) -> None:
        self.leave_then(self.exit)

    def _go(self, kind: type[Screen[None]], make: Callable[[], Screen[None]]) -> None:
        """Show a screen of `kind` over Today; if it is already showing, keep it as it is
        (pressing its key again must not throw away what the patient typed there)."""
        if isinstance(self.screen, kind):
            return
        self.leave_then(lambda: self._open(make(), over_today=True))

    def _open(
        self,
        screen: Screen[Any],
        *,
        over_today: bool = False,
        callback: Callable[[Any], None] | None = None,
    ) -> None:
        """Show `screen` (over Today, or over what is shown). Building it takes a moment (more on
        a busy machine): keys typed meanwhile wait for it instead of acting on the screen below
        (a quick 'c 5' must not lose the 5; 'p wine' must not tick a glass of water)."""
        self._opening = screen
        self.run_worker(self._show(screen, over_today, callback), exclusive=True, group="navigation")

    async def _show(
        self, screen: Screen[Any], over_today: bool, callback: Callable[[Any], None] | None
    ) -> None:
        try:
            if over_today:
                # Each pop is awaited: a screen's id must be free before a new one takes it.
                while len(self.screen_stack) > 1:
                    await self.pop_screen()
            await self.push_screen(screen, callback)  # mounted, its first box focused
        finally:
            # Also when cancelled by a newer screen's key: that one's worker releases the keys.
            if self._opening is screen:
                self._opening = None
                self.call_later(self._release_held_input)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key | events.Paste):
            await super().on_event(event)
            return
        focus_key = isinstance(event, events.Key) and event.key in FOCUS_KEYS
        if not event.is_forwarded and (self._focus_key_in_flight or self._after_focus_key):
            self._after_focus_key.append(fresh_copy(event))
            event.stop()
            return
        if focus_key and event.is_forwarded and self._focus_key_in_flight:
            # The Tab is back from its way through the focused box, to the screen's binding:
            # it acts now (or waits with the keys typed before it, for a screen being built),
            # and only then go the keys typed after it (after the focus it set: an F-key's
            # lands a moment later).
            self._focus_key_in_flight = 0
            if self._opening is None:
                await super().on_event(event)
            else:
                self._held_input.append(fresh_copy(event))
                event.stop()
            self.call_later(self._send_keys_after_focus_key)
            return
        if self._opening is not None or (self._held_input and not event.is_forwarded):
            # Typed after the key that opens the screen: for that screen. A key already on
            # its way through the screen below (it comes back here unhandled, to the app's
            # keys) is held too: it was typed after the opening key, which went the same way.
            self._held_input.append(fresh_copy(event))  # the screen's focus decides its way
            event.stop()
            return
        if isinstance(event, events.Key) and focus_key and not event.is_forwarded:
            await self._send_focus_key(event)
            return
        await super().on_event(event)

    async def _send_focus_key(self, event: events.Key) -> None:
        """A Tab on its way. Routed like any key, it acts only once it has travelled through
        the focused box and back up to the screen's binding, and the keys typed after it would
        be routed meanwhile, to the box it leaves ('1', Tab, '2' typed quickly put 12 in
        Soreness). So they wait for it: until it is back, or until a marker sent the same way
        right behind it is, should a widget keep the Tab (none of companion's does)."""
        self._focus_keys_sent += 1
        self._focus_key_in_flight = flight = self._focus_keys_sent
        await super().on_event(event)
        target = self.focused or self.screen
        target.post_message(FocusKeyPassed(flight))
        self.set_timer(FOCUS_KEY_LOST_SECONDS, lambda: self._focus_key_lost(flight, target))

    def _focus_key_lost(self, flight: int, target: Widget) -> None:
        """Tab and marker both lost (the box or screen they were sent to was removed
        meanwhile): the keys after them go to the screen now shown. Not while a screen is
        being built (that is what holds them up), nor while the box still has them to
        handle: on a busy machine a Tab can take longer than the timer to get through, and
        the keys behind it must not overtake it."""
        if self._focus_key_in_flight != flight:
            return
        if self._opening is not None or (target.is_attached and target.is_running):
            self.set_timer(FOCUS_KEY_LOST_SECONDS, lambda: self._focus_key_lost(flight, target))
            return
        self._focus_key_in_flight = 0
        self.call_later(self._send_keys_after_focus_key)

    def on_focus_key_passed(self, message: FocusKeyPassed) -> None:
        message.stop()
        if self._focus_key_in_flight == message.flight:  # the Tab did not come back before it
            self._focus_key_in_flight = 0
            self.call_later(self._send_keys_after_focus_key)

    async def _send_keys_after_focus_key(self) -> None:
        """On their way, in order, the keys typed after a Tab (another Tab among them holds
        the rest again; a screen being built holds them for itself)."""
        waiting, self._after_focus_key = self._after_focus_key, []
        for index, key in enumerate(waiting):
            await self.on_event(key)
            if self._focus_key_in_flight:
                self._after_focus_key[:0] = waiting[index + 1 :]
                return

    async def _release_held_input(self) -> None:
        """Hand what was typed to the screen now shown, in order; a key that opens yet another
        screen holds the rest for that one, and a Tab holds the rest until it has acted.

        Characters go on at once (each box takes them in order from its queue, after its
        focus); any other key is handed on and the rest wait until the screen has drawn what
        it did."""
        while self._held_input and self._opening is None and not self._focus_key_in_flight:
            event = self._held_input.pop(0)
            if isinstance(event, events.Key) and event.key in FOCUS_KEYS:
                self._after_focus_key[:0] = self._held_input  # typed after the Tab: they wait for it
                self._held_input = []
                await self._send_focus_key(event)
                return
            await super().on_event(event)
            typed = isinstance(event, events.Paste) or event.is_printable
            if self._held_input and not typed:
                self.call_after_refresh(self._release_held_input)
                return

    async def action_back(self) -> None:
        """Esc: back to the screen this one was opened from, asking first if a form there
        holds unsaved changes. Screens opened with their keys (c, l, h, s, p, ?) are opened
        over Today, so Esc takes them to Today; a day opened from History goes back to
        History (and Esc there to Today). On Today itself there is nowhere to go back to."""
        if len(self.screen_stack) <= 1:
            return
        leaving = self.screen
        self.leave_then(lambda: self._back_from(leaving))

    def _back_from(self, leaving: Screen[object]) -> None:
        # Only if it is still the one shown: the question about unsaved changes takes a
        # moment, and a second Esc (or another key) may have moved on meanwhile.
        if self.screen is leaving and len(self.screen_stack) > 1:
            self.pop_screen()

    async def action_dashboard(self) -> None:
        """Back: the older name of Esc's action, kept for scripts and key maps that name it."""
        await self.action_back()

    def action_today(self) -> None:
        """Straight to Today from wherever the patient is (the command palette's 'Today')."""
        self.leave_then(self._to_dashboard)

    def _to_dashboard(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # Screens other than Today are imported when first opened: a faster first paint.

    def action_checkin(self) -> None:
        from companion.ui.screens.checkin_form import CheckinScreen

        self._go(CheckinScreen, lambda: CheckinScreen(self.store, self.protocol, clock.today()))

    def on_open_checkin(self, message: OpenCheckin) -> None:
        from companion.ui.screens.checkin_form import CheckinScreen

        self._open(CheckinScreen(self.store, self.protocol, message.day or clock.today()))

    def action_checklist(self) -> None:
        from companion.ui.screens.checklist import ChecklistScreen

        self._go(ChecklistScreen, lambda: ChecklistScreen(self.store, self.protocol, clock.today()))

    def action_history(self) -> None:
        from companion.ui.screens.history import HistoryScreen

        self._go(HistoryScreen, lambda: HistoryScreen(self.store, self.protocol))

    def action_course(self) -> None:
        """The course of treatment (from History, and the command palette)."""
        from companion.ui.screens.course import CourseScreen

        if isinstance(self.screen, CourseScreen):
            return
        self.leave_then(lambda: self._open(CourseScreen(self.store, self.protocol)))

    def action_name_complaint(self) -> None:
        """Name (or reword) the problem the patient sees the physiotherapist for; Esc skips."""
        from companion.core.complaint import current
        from companion.ui.screens.complaint import ComplaintModal

        try:
            named = current(self.store.complaints())
        except StoreError as exc:
            self.notify(f"Your data could not be read: {exc}", severity="error")
            return
        self._open(ComplaintModal(self.store, named), callback=self._complaint_named)

    def _complaint_named(self, complaint: object) -> None:
        self._complaint_skipped = complaint is None
        self.read_course_prompt()
        if complaint is not None:
            self.notify(
                "Saved. Rate its usual pain in your check-in (c), apart from the soreness.", timeout=6
            )

    def action_rate_activities(self) -> None:
        """What I want to do again: name up to three activities, rate them each week."""
        from companion.ui.screens.activities import ActivitiesScreen

        if isinstance(self.screen, ActivitiesScreen):
            return
        self.leave_then(lambda: self._open(ActivitiesScreen(self.store, self.protocol)))

    def action_new_session(self) -> None:
        from companion.ui.screens.new_session import NewSessionScreen

        self._go(NewSessionScreen, lambda: NewSessionScreen(self.store, self.protocol))

    def action_plan(self, tab: str = "") -> None:
        from companion.ui.screens.plan import PlanScreen

        if isinstance(self.screen, PlanScreen) and tab:
            self.screen.show_tab(tab)
            return
        self._go(PlanScreen, lambda: PlanScreen(self.store, self.protocol, tab=tab))

    def action_get_help(self) -> None:
        """When to get help, over whatever is showing (pressing the key again closes it)."""
        from companion.ui.screens.get_help import GetHelpScreen

        if isinstance(self.screen, GetHelpScreen):
            self.screen.dismiss(None)
            return
        self._open(GetHelpScreen(self.protocol))

    def action_help(self) -> None:
        from companion.ui.screens.help import HelpScreen

        self._go(HelpScreen, lambda: HelpScreen(self.protocol, self.store.data_dir))

    # ------------------------------------------------------------------ water

    def on_add_water(self, _message: AddWater) -> None:
        self.action_add_water()

    def action_add_water(self) -> None:
        today = clock.today()
        try:
            day = self.store.update_hydration(today, lambda h: h.add(1))
        except (StoreError, InputError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            self.notify(f"The glass was not ticked: {message}", severity="error")
            return
        self.reload_status()
        more = "goal reached, well done" if day.glasses == day.goal else f"{day.glasses} of {day.goal}"
        self.notify(f"Glass of water ticked: {more}.", timeout=2)

    def action_undo_water(self) -> None:
        """A glass ticked by mistake: one glass less today (as `companion water --undo`)."""
        today = clock.today()
        try:
            day = self.store.update_hydration(today, lambda h: h.undo())
        except (StoreError, InputError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            self.notify(f"No glass was untaken: {message}.", severity="warning", timeout=4)
            return
        self.reload_status()
        self.notify(f"One glass untaken: {day.glasses} of {day.goal} today.", timeout=3)

    def action_set_goal(self) -> None:
        from companion.ui.screens.goal import GoalModal

        current = self.status.hydration.goal if self.status else self.protocol.hydration.default_goal
        glass = self.status.glass if self.status else None
        self._open(GoalModal(current, glass), callback=self._set_goal)

    def _set_goal(self, choice: WaterChoice | None) -> None:
        if choice is None:
            return
        try:
            self.store.set_default_goal(choice.goal, clock.today())
            self.store.update_settings(glass_size=choice.glass)
        except StoreError as exc:
            self.notify(f"The goal was not changed: {exc}", severity="error")
            return
        self.reload_status()
        size = f", of {choice.glass}" if choice.glass else ""
        self.notify(f"Daily goal: {count(choice.goal, 'glass', 'glasses')}{size}.", timeout=3)

    # ------------------------------------------------------------------ last resort

    def _fatal_error(self) -> None:
        """An unexpected error: one plain line for the patient, the details in a file."""
        import traceback

        from rich.text import Text

        where = self.store.data_dir / "crash.log"
        try:
            # Private like the data itself (mode 600): a traceback can hold health details.
            fd = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as log:
                log.write(traceback.format_exc())
            detail = f" The details are in {where}."
        except OSError:
            detail = ""
        self.bell()
        self._exit_renderables.append(
            Text(f"companion: something went wrong and the app closed; your saved data is safe.{detail}")
        )
        self._close_messages_no_wait()


class FocusKeyPassed(Message):
    """Sent through the screen right behind a Tab: back at the app, the Tab has acted or
    was kept on its way."""

    def __init__(self, flight: int) -> None:
        super().__init__()
        self.flight = flight


def fresh_copy(event: events.Key | events.Paste) -> events.Key | events.Paste:
    """A key to send again: a new event, so the focus at that time decides its way."""
    if isinstance(event, events.Key):
        return events.Key(event.key, event.character)
    return events.Paste(event.text)


def worded(reminder: Reminder) -> str:
    """A reminder as the app says it: with the key that acts on it."""
    if reminder.kind == "water":
        return f"{reminder.text} Press w to tick it."
    if reminder.kind == "checkin":
        return f"{reminder.text.removesuffix('.')}: press c when you have a minute."
    return reminder.text


def create_app(context: Context) -> CompanionApp:
    """The one way to build the app: the CLI and the tests hand it the context they opened
    with companion.context.open_context."""
    return CompanionApp(context)


def run_app(context: Context) -> int:
    """Run full-screen; any unexpected error becomes one line, never a traceback."""
    app = create_app(context)
    try:
        app.run()
    except Exception as exc:  # the last line of defence
        import sys

        print(f"companion: the app stopped unexpectedly ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    return app.return_code or 0
