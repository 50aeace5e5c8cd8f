"""Active alerts: what to do, with urgent ones impossible to miss.

Under the alerts: which check-in they come from (when it was not today's), who to call
(once, not after every alert), and what to do if the clinic cannot be reached.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from companion.core.alerts import Alert
from companion.core.protocol import Protocol
from companion.ui.plain import plain
from companion.ui.widgets.clinic import clinic_name


def alert_line(alert: Alert, clinic: str = "") -> str:
    """The alert's advice (who to call is said once, under the alerts)."""
    by = f" (as instructed by {clinic})" if clinic else ""
    text = alert.advice or alert.message
    if alert.urgent:
        return f"URGENT: {text}{by}"
    return f"! {text}{by}"


def source_line(day: dt.date | None, today: dt.date) -> str:
    """'From your check-in on Mon 23 Nov:' for alerts of an earlier day, else ''."""
    if day is None or day == today:
        return ""
    return f"From your check-in on {day.strftime('%a %-d %b')}:"


class AlertList(Vertical):
    """One line (wrapped) per alert; urgent ones on the error colour, in bold."""

    DEFAULT_CSS = """
    AlertList {
        height: auto;
        & > .alert { padding: 0 1; }
        & > .alert.-urgent {
            background: $error;
            color: $text;
            text-style: bold;
            border: heavy $error-lighten-2;
        }
        & > .alert.-contact { color: $warning; text-style: bold; }
        & > .source, & > .from { color: $text-muted; padding: 0 1; }
        & > .reach { padding: 0 1; text-style: bold; }
        & > .fallback { padding: 0 1; }
    }
    """

    def __init__(
        self,
        alerts: list[Alert] | None = None,
        *,
        protocol: Protocol | None = None,
        source: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._alerts = list(alerts or [])
        self._source = source
        self.display = bool(self._alerts)
        self.protocol = protocol
        """To say which red flags are the clinic's own, and what if the clinic cannot be reached."""

    def compose(self) -> ComposeResult:
        if self._source and self._alerts:
            yield Static(self._source, classes="from")
        for alert in self._alerts:
            level = "-urgent" if alert.urgent else "-contact"
            clinic = clinic_name(self.protocol, self.protocol.red_flag(alert.id)) if self.protocol else ""
            yield Static(plain(alert_line(alert, clinic)), classes=f"alert {level}")
            if alert.beyond_sources:
                yield Static(plain(f"Where this comes from: {alert.beyond_sources}"), classes="source")
        contact = [a for a in self._alerts if not a.urgent]
        reach = next((a.contact for a in contact if a.contact), "")
        if reach:
            yield Static(plain(f"Call {reach}"), classes="reach")
        if contact and self.protocol is not None:
            help_ = self.protocol.get_help
            yield Static(plain(f"{help_.fallback} ({help_.fallback_beyond})"), classes="fallback")

    def show_protocol(self, protocol: Protocol) -> None:
        """Another protocol: whose red flags they are, and what if the clinic cannot be reached."""
        self.protocol = protocol
        if self.is_mounted:
            self.refresh(recompose=True)

    async def show(self, alerts: list[Alert], source: str = "") -> None:
        """Replace the alerts shown (only when they changed)."""
        same = [(a.id, a.message) for a in alerts] == [(a.id, a.message) for a in self._alerts]
        if same and source == self._source and (self.children or not alerts):
            return  # the same alerts are already shown
        self._alerts = list(alerts)
        self._source = source
        await self.recompose()
        self.display = bool(alerts)
