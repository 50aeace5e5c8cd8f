"""Active alerts: what to do, with urgent ones impossible to miss."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from companion.core.alerts import Alert
from companion.core.protocol import Protocol
from companion.ui.plain import plain
from companion.ui.widgets.clinic import clinic_name


def alert_line(alert: Alert, clinic: str = "") -> str:
    """The alert's message (it already names the clinic's phone when known)."""
    by = f" (as instructed by {clinic})" if clinic else ""
    if alert.urgent:
        return f"URGENT: {alert.message}{by}"
    return f"! {alert.message}{by}"


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
        & > .source { color: $text-muted; padding: 0 1; }
    }
    """

    def __init__(
        self, alerts: list[Alert] | None = None, *, protocol: Protocol | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._alerts = list(alerts or [])
        self.display = bool(self._alerts)
        self.protocol = protocol
        """To say which red flags are the clinic's own (optional)."""

    def compose(self) -> ComposeResult:
        for alert in self._alerts:
            level = "-urgent" if alert.urgent else "-contact"
            clinic = clinic_name(self.protocol, self.protocol.red_flag(alert.id)) if self.protocol else ""
            yield Static(plain(alert_line(alert, clinic)), classes=f"alert {level}")
            if alert.beyond_sources:
                yield Static(plain(f"Where this comes from: {alert.beyond_sources}"), classes="source")

    async def show(self, alerts: list[Alert]) -> None:
        """Replace the alerts shown (only when they changed)."""
        if [a.id for a in alerts] == [a.id for a in self._alerts] and (self.children or not alerts):
            return  # the same alerts are already shown
        self._alerts = list(alerts)
        await self.recompose()
        self.display = bool(alerts)
