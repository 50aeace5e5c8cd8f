"""An untimed caution (no duration in the sources), with any disagreement between sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from companion.core.protocol import Restriction


def sources_text(sources: tuple[str, ...]) -> str:
    return "sources " + ", ".join(sources) if sources else "beyond the three after-care articles"


class CautionCard(Vertical):
    """Title and what to avoid; for a disputed rule, each source's view side by side."""

    DEFAULT_CSS = """
    CautionCard {
        height: auto;
        & > .title { text-style: bold; }
        & > .avoid { color: $text-muted; padding-left: 2; }
        & > .clinic { color: $text-muted; text-style: italic; padding-left: 2; }
        & > .summary { color: $warning; padding-left: 2; }
        & > .view { padding-left: 4; }
    }
    """

    def __init__(
        self, restriction: Restriction, *, active: bool = True, clinic: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.restriction = restriction
        self.active = active
        self.clinic = clinic
        """The clinic's name when this caution is its own instruction."""

    def compose(self) -> ComposeResult:
        r = self.restriction
        state = "" if self.active else " (no longer needed for this session)"
        yield Static(Content.assemble((r.title, "bold"), state), classes="title")
        if self.clinic:
            source = f" ({sources_text(r.sources)})" if r.sources else ""
            yield Static(f"{r.avoid}{source}", classes="avoid")
            yield Static(f"As instructed by {self.clinic}", classes="clinic")
        else:
            yield Static(f"{r.avoid} ({sources_text(r.sources)})", classes="avoid")
        if r.disagreement is not None:
            yield Static(r.disagreement.summary, classes="summary")
            for view in r.disagreement.views:
                yield Static(f"{view.source}: {view.says}", classes="view")
