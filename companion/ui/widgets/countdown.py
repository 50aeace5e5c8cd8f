"""One timed restriction: live countdown, progress bar and the clock time it ends."""

from __future__ import annotations

from pendulum import DateTime
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, ProgressBar
from textual.widgets._progress_bar import Bar

from companion.core import timefmt
from companion.core.protocol import Restriction


class RestrictionCard(Widget):
    """A one-line card (two for a clinic's own instruction); only the time and bar change each second."""

    DEFAULT_CSS = """
    RestrictionCard {
        height: auto;
        & > .row { height: 1; }
        & .title { width: 28; text-style: bold; }
        & .time { width: 10; text-align: right; padding-right: 1; }
        & ProgressBar { width: 1fr; min-width: 8; }
        & ProgressBar > Bar { width: 1fr; }
        & .until { width: 17; padding-left: 1; color: $text-muted; }
        & > .clinic { padding-left: 2; color: $text-muted; text-style: italic; }
        &.-done .title { text-style: none; color: $text-muted; }
        &.-done .time { color: $success; }
    }
    """

    seconds_left: reactive[int | None] = reactive(None)
    """Seconds to show; set by the dashboard on each tick."""

    def __init__(
        self,
        restriction: Restriction,
        ends_at: DateTime,
        total_seconds: int,
        *,
        clinic: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.restriction = restriction
        self.clinic = clinic
        """The clinic's name when this restriction is its own instruction."""
        self.ends_at = ends_at
        self.total_seconds = max(1, total_seconds)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(self.restriction.title, classes="title")
            yield Label("", classes="time")
            yield ProgressBar(total=self.total_seconds, show_eta=False, show_percentage=False)
            yield Label("", classes="until")
        if self.clinic:
            yield Label(f"as instructed by {self.clinic}", classes="clinic")

    def on_mount(self) -> None:
        self.tooltip = f"Avoid: {self.restriction.avoid}\nWhy: {self.restriction.why}"
        self.watch_seconds_left(self.seconds_left)

    def on_resize(self) -> None:
        # Textual's Bar rounds its fill to the width it had when the value was set (none at
        # first); set it again at the settled width so the same time always draws the same bar.
        self.call_after_refresh(self._settle_bar)

    def _settle_bar(self) -> None:
        try:
            bar = self.query_one(ProgressBar)
            inner = bar.query_one(Bar)
        except Exception:
            return
        inner.percentage = bar.percentage

    @property
    def done(self) -> bool:
        return self.seconds_left == 0

    def watch_seconds_left(self, seconds: int | None) -> None:
        if not self.children:
            return
        done = seconds == 0
        self.set_class(done, "-done")
        time_label = self.query_one(".time", Label)
        until_label = self.query_one(".until", Label)
        bar = self.query_one(ProgressBar)
        when = timefmt.clock_time(self.ends_at)
        if seconds is None:
            time_label.update("")
            return
        if done:
            time_label.update("done ✓")
            until_label.update(f"ended {when}")
            bar.update(progress=self.total_seconds)
        else:
            time_label.update(timefmt.countdown(seconds))
            until_label.update(f"until {when}")
            bar.update(progress=self.total_seconds - seconds)
