"""The daily check-in: soreness, fatigue, stiffness, bruising, flags and a note."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from companion.core import clock, timefmt
from companion.core.alerts import Alert, no_alert_text
from companion.core.checkins import BRUISING_LEVELS, SCALE_ANCHORS, CheckIn, before_any_session, new_checkin
from companion.core.complaint import PAIN_ANCHORS, PAIN_QUESTION, Complaint, current
from companion.core.protocol import Protocol
from companion.queries import alerts_for_checkin
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.form import Form, FormScreen
from companion.ui.screens.urgent import UrgentModal
from companion.ui.widgets.alerts import AlertList
from companion.ui.widgets.field_row import FieldRow
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.tickbox import TickBox


def day_title(day: dt.date, today: dt.date) -> str:
    name = day.strftime("%a %-d %b %Y")
    days = (today - day).days
    if days == 0:
        return f"{name} (today)"
    return f"{name} ({'yesterday' if days == 1 else f'{days} days ago'})"


AFTER_NEEDLING = "After the needling: the soreness and tiredness the session itself leaves"


def usual_pain_intro(complaint: Complaint | None) -> str:
    """What the usual-pain row rates, apart from the soreness above: the complaint, in the
    patient's words when named."""
    what = f"({complaint.text})" if complaint is not None else "you see your physio for"
    return f"The problem {what}: {PAIN_QUESTION}, not the soreness after needling"


class CheckinScreen(Form, FormScreen):
    """Keyboard-first: Tab moves on, Enter in a box or ctrl+s saves."""

    TITLE = "Check-in"  # the header says 'companion · Check-in'

    FORM_NAME = "your check-in"
    NOT_SAVED = "Your check-in"

    AUTO_FOCUS = "#soreness"
    """Focused as the form is composed, so the first key typed is never lost."""

    def __init__(self, store: Store, protocol: Protocol, day: dt.date | None = None) -> None:
        super().__init__(id="checkin")
        self.store = store
        self.protocol = protocol
        self.day = day or clock.today()
        self.existing: CheckIn | None = None
        self.alerts: list[Alert] = []
        """What the last save raised."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="checkin-form", classes="form"):
            # What a save raised goes first: after saving, the form scrolls to the top, so the
            # alerts are on screen whatever the terminal's size.
            with Vertical(id="result"):
                yield Static("", id="result-text")
                yield AlertList(protocol=self.protocol, id="result-alerts")
            yield Static("", id="form-title", classes="form-title")
            yield Static(AFTER_NEEDLING, classes="form-part")
            for key, label in (("soreness", "Soreness"), ("fatigue", "Fatigue"), ("stiffness", "Stiffness")):
                scale = PlainInput(placeholder="0-10", id=key, compact=True, max_length=3, classes="scale")
                yield FieldRow(label, scale, hint=SCALE_ANCHORS)
            bruising = Select(
                [(level, level) for level in BRUISING_LEVELS],
                value="none",
                allow_blank=False,
                id="bruising",
                compact=True,
            )
            yield FieldRow("Bruising", bruising)
            yield TickBox("Flare-up: my usual symptoms are briefly worse", id="flare_up", compact=True)
            yield TickBox("Sharp pain (not the usual ache)", id="sharp_pain", compact=True)
            yield TickBox(
                "Trouble breathing, chest pain, or pain breathing in",  # fits 80 columns
                id="breathing_trouble",
                compact=True,
            )
            yield Static("", id="usual-pain-part", classes="form-part")
            usual = PlainInput(
                placeholder="0-10", id="usual_pain", compact=True, max_length=3, classes="scale"
            )
            yield FieldRow("Usual pain", usual, hint=f"optional; {PAIN_ANCHORS}")
            note = PlainInput(placeholder="anything you want to remember", id="note", compact=True)
            yield FieldRow("Note", note)
            with Horizontal(classes="buttons"):
                yield Button("Save check-in", id="save", classes="save", variant="primary", compact=True)
                yield Label("  ctrl+s saves from anywhere; Esc goes back", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        today = clock.today()
        self.query_one("#form-title", Static).update(f"Check-in for {day_title(self.day, today)}")
        self.query_one("#result").display = False
        try:
            self.existing = self.store.checkin_for(self.day)
            complaint = current(self.store.complaints())
        except StoreError as exc:
            self.notify(str(exc), title="Could not read this day", severity="error")
            complaint = None
        self.query_one("#usual-pain-part", Static).update(plain(usual_pain_intro(complaint)))
        if self.existing is not None:
            self.prefill(self.existing)
            # Focused before the values came: select the saved one, so typing replaces it.
            self.query_one("#soreness", Input).select_all()

    def prefill(self, checkin: CheckIn) -> None:
        for key in ("soreness", "fatigue", "stiffness"):
            self.query_one(f"#{key}", Input).value = str(getattr(checkin, key))
        self.query_one("#bruising", Select).value = checkin.bruising
        for key in ("flare_up", "sharp_pain", "breathing_trouble"):
            self.query_one(f"#{key}", Checkbox).value = getattr(checkin, key)
        self.query_one("#usual_pain", Input).value = (
            "" if checkin.usual_pain is None else str(checkin.usual_pain)
        )
        self.query_one("#note", Input).value = checkin.note
        self.query_one("#save", Button).label = "Save changes"

    # ------------------------------------------------------------------ saving

    def read_form(self) -> CheckIn:
        bruising = self.query_one("#bruising", Select).value
        return new_checkin(
            soreness=self.value("soreness"),
            fatigue=self.value("fatigue"),
            stiffness=self.value("stiffness"),
            bruising=bruising if isinstance(bruising, str) else None,
            flare_up=self.query_one("#flare_up", Checkbox).value,
            sharp_pain=self.query_one("#sharp_pain", Checkbox).value,
            breathing_trouble=self.query_one("#breathing_trouble", Checkbox).value,
            note=self.value("note"),
            day=self.day,
            usual_pain=self.value("usual_pain").strip() or None,
        )

    def save_form(self) -> None:
        checkin = self.read_form()
        self.store.save_checkin(checkin)
        self.alerts = alerts_for_checkin(self.store, self.protocol, checkin)
        self.existing = checkin

    def saved(self) -> None:
        assert self.existing is not None
        self.query_one("#save", Button).label = "Save changes"
        self.post_message(DataChanged())
        self.call_later(self.show_result, self.existing, self.alerts)

    def submit_before_leaving(self) -> bool:
        # Alerts keep the patient here, on screen, instead of vanishing with the form.
        return self.submit() and not self.alerts

    async def show_result(self, checkin: CheckIn, alerts: list[Alert]) -> None:
        result = self.query_one("#result")
        result.display = True
        text = self.query_one("#result-text", Static)
        recorded = clock.to_local(checkin.recorded_at)
        day = checkin.date.strftime("%a %-d %b")
        if recorded.date() == checkin.date:
            saved = f"Saved the check-in for {day}, at {recorded.format('HH:mm')}."
        else:
            saved = f"Saved the check-in for {day} (on {timefmt.clock_time(checkin.recorded_at)})."
        no_session = before_any_session(
            self.store.sessions(), checkin, redo="open the right day from History (h) and check in there"
        )
        if no_session is not None:
            saved = f"{saved} {no_session}"
            self.notify(no_session, title="Before any session", severity="warning", timeout=10)
        if alerts:
            text.update(plain(f"{saved} Please read this:"))
        else:
            text.update(plain(f"{saved} {no_alert_text(self.protocol)} Thank you for checking in."))
        await self.query_one("#result-alerts", AlertList).show(alerts)
        self.query_one("#checkin-form").scroll_home(animate=False, immediate=True)
        urgent = [a for a in alerts if a.urgent]
        if urgent:
            # The dialog says it all; a notice on top would cover part of it.
            self.app.push_screen(UrgentModal(urgent[0]))
        elif alerts:
            self.notify(
                "Check-in saved. What to do is at the top of the form.",
                title="After this check-in",
                severity="warning",
                timeout=8,
            )
        else:
            self.notify("Check-in saved.", timeout=3)
