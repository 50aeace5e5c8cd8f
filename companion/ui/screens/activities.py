"""What I want to do again: the activities of the Patient-Specific Functional Scale, named and
rated in the app (``companion activity add|rate`` on the command line).

Up to three activities the problem makes hard, each rated 0 (unable to do it) to 10 (able
to do it as before the problem): when named (the starting point), then about once a week
(Today asks, gently). The core validates (``core/activities.py``) and the store saves,
with the same calls as the command line.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Label, Static

from companion.core import clock
from companion.core.activities import (
    MAX_ACTIVITIES,
    SCORE_ANCHORS,
    Activity,
    Rating,
    followed,
    latest_rating,
    new_activity,
    new_rating,
    ratings_due,
    validate_score,
)
from companion.core.errors import InputError
from companion.core.protocol import Protocol
from companion.store import Store, StoreError
from companion.ui.messages import DataChanged
from companion.ui.plain import PlainInput, plain
from companion.ui.screens.form import Form, FormScreen
from companion.ui.widgets.field_row import FieldRow
from companion.ui.widgets.key_footer import KeyFooter

EXPLAINED = (
    "Name up to three activities the problem makes hard, in your own words ('turning my head "
    "to reverse the car'), and rate how well you can do each now: "
    f"{SCORE_ANCHORS}. companion asks again about once a week and lines the scores up with "
    "your sessions in the course (History, o)."
)


def last_rated(activity: Activity, ratings: list[Rating], due: bool) -> str:
    last = latest_rating(activity, ratings)
    if last is None:
        return "not rated yet: your starting point"
    when = f"last {last.score} on {last.date.strftime('%a %-d %b')}"
    return f"{when}; due again" if due else when


class ActivitiesScreen(Form, FormScreen):
    """One score box per followed activity, and a name and a score for a new one while there is
    room; ctrl+s or Enter saves what was typed (an empty box is left as it was)."""

    TITLE = "Activities"  # the header says 'companion · Activities'
    FORM_NAME = "your activity ratings"
    NOT_SAVED = "Your ratings"
    AUTO_FOCUS = "#score_1, #name"

    def __init__(self, store: Store, protocol: Protocol) -> None:
        super().__init__(id="activities")
        self.store = store
        self.protocol = protocol
        self.activities: list[Activity] = []
        self.ratings: list[Rating] = []
        self.said = ""
        try:
            self.activities = followed(store.activities())
            self.ratings = store.all_ratings()
        except StoreError as exc:
            self.said = f"Your activities could not be read: {exc}"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="activities-form", classes="form"):
            yield Static("What I want to do again", classes="form-title")
            yield Static(plain(EXPLAINED), classes="form-part")
            due = {d.activity.id for d in ratings_due(self.activities, self.ratings, clock.today())}
            for number, activity in enumerate(self.activities, start=1):
                yield Label(plain(f"{number}. {activity.name}"), classes="activity-name")
                score = PlainInput(placeholder="0-10", id=f"score_{number}", compact=True, max_length=3)
                score.add_class("scale")
                hint = last_rated(activity, self.ratings, activity.id in due)
                yield FieldRow("Score today", score, hint=hint)
            if len(self.activities) < MAX_ACTIVITIES:
                yield Label(
                    f"Add an activity ({len(self.activities)} of {MAX_ACTIVITIES} named)",
                    classes="activity-name",
                )
                name = PlainInput(placeholder="turning my head to reverse the car", id="name", compact=True)
                name.add_class("wide")
                yield FieldRow("Activity", name)
                score = PlainInput(placeholder="0-10", id="new_score", compact=True, max_length=3)
                score.add_class("scale")
                yield FieldRow("Score now", score, hint="0 unable - 10 as before the problem")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", classes="save", variant="primary", compact=True)
                yield Label("  ctrl+s saves; Esc goes back", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        if self.said:
            self.notify(self.said, severity="error", timeout=10)

    # ------------------------------------------------------------------ saving

    def save_form(self) -> None:
        """Validate every box first (a refusal names its box and saves nothing), then save."""
        ratings: list[Rating] = []
        for number, activity in enumerate(self.activities, start=1):
            typed = self.value(f"score_{number}").strip()
            if typed:
                try:
                    ratings.append(new_rating(activity, typed))
                except InputError as error:
                    raise InputError(f"score_{number}", error.message) from None
        added: Activity | None = None
        if len(self.activities) < MAX_ACTIVITIES:
            name, score = self.value("name").strip(), self.value("new_score").strip()
            if score and not name:
                raise InputError("name", "is empty: name the activity this score is for")
            if name:
                if score:
                    validate_score(score, "new_score")
                added = new_activity(name, self.store.activities())
                if score:
                    ratings.append(new_rating(added, score))
        if not ratings and added is None:
            raise InputError(
                "score_1" if self.activities else "name",
                "nothing typed: give a score (or Esc to go back)"
                if self.activities
                else "is empty: name an activity the problem makes hard",
            )
        with self.store.write_lock():
            if added is not None:
                self.store.add_activity(added)
            if ratings:
                self.store.save_ratings(ratings)
        self.said = self._saved_text(ratings, added)

    def _saved_text(self, ratings: list[Rating], added: Activity | None) -> str:
        names = {a.id: a.name for a in self.activities}
        if added is not None:
            names[added.id] = added.name
        parts = [f"{names[r.activity_id]} {r.score}/10" for r in ratings]
        text = "Rated: " + "; ".join(parts) + "." if parts else ""
        if added is not None and not any(r.activity_id == added.id for r in ratings):
            text = f"{text} Added {added.name}: rate it when you can.".strip()
        return text

    def saved(self) -> None:
        self.post_message(DataChanged())
        self.notify(self.said, title="Saved", timeout=5)
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        """The new activity gets its score box; what was saved shows as the last rating."""
        self.activities = followed(self.store.activities())
        self.ratings = self.store.all_ratings()
        await self.recompose()
        self.mark_saved()
        first = self.query(PlainInput).first()
        first.focus()
