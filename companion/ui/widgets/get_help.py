"""When to get help: the page a key away on every screen, and the line on Today.

The texts come from the protocol (`[get_help]` and the red flags in guidance.toml),
so a clinic's thresholds and its phone number show here too.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget

from companion.core.protocol import Protocol
from companion.core.text import printable
from companion.ui.widgets.paragraphs import Paragraph, Paragraphs

HELP_KEYS = "! or F1"
"""The keys that open the page (F1 also works while typing in a form)."""
MUTED = "$foreground-muted"
TOAST_RACK_ID = "textual-toastrack"
"""The id Textual gives each screen's stack of notices."""
FOOTER_HEIGHT = 1


def get_help_paragraphs(protocol: Protocol) -> list[Paragraph]:
    """Urgent signs first, then when to call the physio today, then what if the clinic
    cannot be reached; each part says where it comes from."""
    help_ = protocol.get_help
    lines: list[Paragraph] = [(0, Content.styled(printable(help_.urgent), "bold $error"))]
    lines.append((2, Content(printable(help_.urgent_signs))))
    for flag in protocol.urgent_flags():
        if flag.note:
            lines.append((2, Content.styled(printable(flag.note), "bold")))
    lines.append((2, Content.styled("(beyond the three after-care articles)", MUTED)))
    lines.append((0, Content.styled(printable(help_.contact), "bold $warning")))
    lines.extend(
        (2, Content(printable(f"• {flag.titled(protocol.clinic)}"))) for flag in protocol.contact_flags()
    )
    sources = printable(", ".join(help_.contact_sources))
    lines.append((2, Content.styled(f"(from the after-care articles {sources})", MUTED)))
    who = protocol.who_to_call
    if who is not None:
        lines.append((2, Content.assemble(("Your clinic: ", "bold"), printable(who.contact_line()))))
    else:
        tip = "Keep their number to hand (companion config --clinic-phone saves it)."
        lines.append((2, Content.styled(tip, MUTED)))
    lines.append(
        (0, Content.assemble(printable(help_.fallback), (printable(f" ({help_.fallback_beyond})"), MUTED)))
    )
    return lines


class GetHelpText(Paragraphs):
    """The page's text, in one widget."""

    def __init__(self, protocol: Protocol, *, id: str | None = None) -> None:
        super().__init__(get_help_paragraphs(protocol), id=id)


class GetHelpLine(Paragraphs):
    """One or two lines on Today and the welcome screen: the urgent sign, when to call, and
    the key for the page."""

    DEFAULT_CSS = """
    GetHelpLine {
        dock: bottom;
        margin-bottom: 1;  /* above the footer, docked at the same edge */
        padding: 0 1;
        background: $boost;
    }
    """

    def __init__(self, protocol: Protocol, *, id: str | None = None) -> None:
        super().__init__([get_help_line(protocol)], id=id)

    def show_protocol(self, protocol: Protocol) -> None:
        self.show([get_help_line(protocol)])

    def on_resize(self, event: events.Resize) -> None:
        self.keep_notices_above()

    def keep_notices_above(self) -> None:
        """Notices (a reminder stays 15 s) rise from the bottom of the screen, where this line
        is: lift them above it, whatever its height, so that none covers when to get help."""
        try:
            rack = self.screen.query_one(f"#{TOAST_RACK_ID}", Widget)
        except NoMatches:
            return
        rack.styles.margin = (0, 0, self.outer_size.height + FOOTER_HEIGHT, 0)


def get_help_line(protocol: Protocol) -> Paragraph:
    """'When to get help (!): ...' in one paragraph."""
    text = Content.assemble(
        (printable(f"{protocol.get_help.title} ({HELP_KEYS.split(' or ')[0]}): "), "bold $warning"),
        printable(protocol.get_help.line),
    )
    return (0, text)
