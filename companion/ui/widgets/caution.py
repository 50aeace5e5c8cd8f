"""An untimed caution (no duration in the sources), with any disagreement between sources."""

from __future__ import annotations

from textual.content import Content

from companion.core.protocol import Restriction
from companion.ui.plain import plain
from companion.ui.widgets.paragraphs import Paragraph, Paragraphs


def sources_text(sources: tuple[str, ...]) -> str:
    return "sources " + ", ".join(sources) if sources else "beyond the three after-care articles"


def caution_paragraphs(restriction: Restriction, *, active: bool, clinic: str) -> list[Paragraph]:
    """Title, what to avoid (with sources), who said so, and each source's view when they disagree."""
    r = restriction
    state = "" if active else " (no longer needed for this session)"
    lines: list[Paragraph] = [(0, Content.assemble(plain(r.title, "bold"), state))]
    if clinic:
        source = f" ({sources_text(r.sources)})" if r.sources else ""
        lines.append((2, plain(f"{r.avoid}{source}", "$foreground-muted")))
        lines.append((2, plain(f"As instructed by {clinic}", "italic $foreground-muted")))
    else:
        lines.append((2, plain(f"{r.avoid} ({sources_text(r.sources)})", "$foreground-muted")))
    if r.disagreement is not None:
        lines.append((2, plain(r.disagreement.summary, "$warning")))
        lines.extend((4, plain(f"{view.source}: {view.says}")) for view in r.disagreement.views)
    return lines


class CautionCard(Paragraphs):
    """Title and what to avoid; for a disputed rule, each source's view one under the other."""

    def __init__(
        self, restriction: Restriction, *, active: bool = True, clinic: str = "", id: str | None = None
    ) -> None:
        super().__init__(caution_paragraphs(restriction, active=active, clinic=clinic), id=id)
        self.restriction = restriction
        self.active = active
        self.clinic = clinic
        """The clinic's name when this caution is its own instruction."""
