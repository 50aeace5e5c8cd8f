"""The command palette: the main actions, found by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("When to get help", "get_help", "Urgent signs, and when to call your physiotherapist today"),
    ("Tick a glass of water", "add_water", "One more glass for today"),
    ("Undo a glass of water (ticked by mistake)", "undo_water", "One glass less for today"),
    ("Check in for today", "checkin", "Soreness, fatigue, stiffness, bruising"),
    ("Open the recovery checklist", "checklist", "What helps, and what to expect"),
    ("Open the history", "history", "Every day, grouped by session"),
    ("Open the course of treatment: is it helping?", "course", "Each session, usual pain, activities"),
    ("Name the problem I see my physio for", "name_complaint", "In your own words; its pain in the check-in"),
    ("Rate the activities I want to do again", "rate_activities", "Up to three, 0 unable - 10 as before"),
    ("Record a new session", "new_session", "When, areas, intensity"),
    ("Open my plan: follow-ups, exercises, questions", "plan", "What your physiotherapist planned"),
    ("Add a follow-up appointment", "plan('appointments')", "When is your next session"),
    ("Add a home exercise", "plan('exercises')", "Name, sets, reps, minutes, times a day"),
    ("Note a question for my physio", "plan('questions')", "Asked at your next visit"),
    ("Log what I took (coffee, alcohol, painkillers)", "plan('took')", "Checked against your pauses"),
    ("Change the daily water goal or glass size", "set_goal", "Glasses a day; your glass in ml or oz"),
    ("Back to today", "today", "The dashboard"),
    ("Help", "help", "Keys, screens, where your data lives"),
)


class CompanionCommands(Provider):
    """Every main action of the app, by a plain name."""

    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text
                )
