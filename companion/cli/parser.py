"""The command line's parser (every command and option), built only when arguments are given.

`companion` alone opens the app and never needs it: building it costs about a tenth
of the app's start-up.
"""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

from companion import __version__
from companion.cli.main import DATA_DIR_ENV, UsageError
from companion.cli.report_commands import add_report_parser
from companion.core.text import SHOWN_CHARS

MAX_USAGE_MESSAGE = 400
"""argparse quotes what it did not understand whole (a 100 KB argument): each word of it is
cut to a short prefix, and the whole message to this much."""
_LONG_WORD = re.compile(f"([^\\s']{{{SHOWN_CHARS}}})[^\\s']+")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        message = _LONG_WORD.sub(lambda m: m.group(1) + "…", message)
        if len(message) > MAX_USAGE_MESSAGE:
            message = message[:MAX_USAGE_MESSAGE] + "…"
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="companion",
        description="A self-care companion for the days after a dry-needling session. "
        "With no command, opens the full-screen app.",
        epilog="companion is a reminder, not a clinician: your physiotherapist's instructions come first.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where your data and backups live (env {DATA_DIR_ENV}; default: your user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    session = commands.add_parser("session", help="record or list needling sessions")
    session_cmds = session.add_subparsers(dest="session_command", metavar="ACTION", parser_class=_Parser)
    add = session_cmds.add_parser("add", help="record a needling session")
    add.add_argument(
        "--at",
        metavar="WHEN",
        help="when the needling took place (default now), e.g. "
        "2026-11-21T16:30 (local time), 2026-11-21T16:30+01:00 or 16:30 for today",
    )
    add.add_argument(
        "--intensity",
        default="standard",
        metavar="standard|intense",
        help="intense: many trigger points or a large area (longer restrictions)",
    )
    add.add_argument(
        "--area", action="append", default=[], metavar="TEXT", help="area treated (repeat for several)"
    )
    add.add_argument("--note", default="", metavar="TEXT")
    add.add_argument("--json", action="store_true", help="print the new session as JSON")
    lst = session_cmds.add_parser("list", help="sessions, newest first")
    lst.add_argument("--json", action="store_true")
    rm = session_cmds.add_parser("remove", help="delete a session recorded by mistake")
    rm.add_argument("id", metavar="ID")

    status = commands.add_parser("status", help="restrictions with time left, water, check-in, alerts")
    status.add_argument("--json", action="store_true")

    water = commands.add_parser("water", help="tick glasses of water for today")
    water.add_argument("count", nargs="?", metavar="N", help="glasses to tick (default 1)")
    water.add_argument("--undo", action="store_true", help="remove one glass")
    water.add_argument("--goal", metavar="N", help="set the daily goal (ticks nothing)")
    water.add_argument("--json", action="store_true")

    checkin = commands.add_parser("checkin", help="record today's symptom check-in")
    checkin.add_argument(
        "--soreness",
        metavar="0-10",
        required=True,
        help="soreness after the needling: 0 none - 10 worst imaginable",
    )
    checkin.add_argument("--fatigue", metavar="0-10", required=True, help="0 none - 10 worst imaginable")
    checkin.add_argument("--stiffness", metavar="0-10", help="0 none - 10 worst imaginable")
    checkin.add_argument("--bruising", metavar="none|mild|moderate|severe")
    checkin.add_argument("--flare-up", action="store_true", help="symptoms briefly worse")
    checkin.add_argument("--sharp-pain", action="store_true")
    checkin.add_argument(
        "--breathing-trouble", action="store_true", help="shortness of breath or chest pain: seek urgent care"
    )
    checkin.add_argument(
        "--usual-pain",
        metavar="0-10",
        help="your usual pain today from the problem you see the physio for (see 'companion complaint'), "
        "0 none - 10 worst imaginable; not the soreness after needling (that is --soreness). Optional",
    )
    checkin.add_argument("--note", default="", metavar="TEXT")
    checkin.add_argument("--date", metavar="YYYY-MM-DD", help="an earlier day (default today)")
    checkin.add_argument("--json", action="store_true")

    history = commands.add_parser("history", help="one row per day")
    history.add_argument("--days", metavar="N", default="14", help="how many days back (default 14)")
    history.add_argument("--json", action="store_true")

    export = commands.add_parser("export", help="a backup or a report for your clinician")
    export.add_argument("--format", default="json", metavar="json|csv|md|ics|html")
    export.add_argument(
        "--output", metavar="FILE", help="write to FILE, a regular file (default, or -: print it)"
    )

    imp = commands.add_parser("import", help="restore a json export (importing twice adds nothing)")
    imp.add_argument("file", metavar="FILE")

    protocol = commands.add_parser("protocol", help="your clinic's own after-care protocol")
    protocol_cmds = protocol.add_subparsers(dest="protocol_command", metavar="ACTION", parser_class=_Parser)
    pimp = protocol_cmds.add_parser("import", help="use a clinic's protocol file (TOML)")
    pimp.add_argument("file", metavar="FILE")
    pshow = protocol_cmds.add_parser("show", help="the protocol in effect, and where each item comes from")
    pshow.add_argument("--json", action="store_true")
    protocol_cmds.add_parser("reset", help="go back to the general guidance")

    appt = commands.add_parser("appointment", help="follow-up appointments")
    appt_cmds = appt.add_subparsers(dest="appointment_command", metavar="ACTION", parser_class=_Parser)
    aadd = appt_cmds.add_parser("add", help="record a follow-up appointment")
    aadd.add_argument("--at", metavar="WHEN", required=True, help="e.g. 2026-11-28T09:00 (local time)")
    aadd.add_argument("--note", default="", metavar="TEXT")
    alist = appt_cmds.add_parser("list", help="appointments, soonest first")
    alist.add_argument("--all", action="store_true", help="include past ones")
    alist.add_argument("--json", action="store_true")
    arm = appt_cmds.add_parser("remove", help="delete an appointment")
    arm.add_argument("id", metavar="ID")

    ex = commands.add_parser("exercise", help="your home exercise programme")
    ex_cmds = ex.add_subparsers(dest="exercise_command", metavar="ACTION", parser_class=_Parser)
    eadd = ex_cmds.add_parser("add", help="add a prescribed exercise")
    eadd.add_argument("--name", required=True, metavar="TEXT")
    eadd.add_argument("--sets", metavar="N")
    eadd.add_argument("--reps", metavar="N")
    eadd.add_argument("--minutes", metavar="M")
    eadd.add_argument("--per-day", default="1", metavar="N", help="times a day (default 1)")
    eadd.add_argument("--note", default="", metavar="TEXT")
    elist = ex_cmds.add_parser("list", help="exercises with today's ticks")
    elist.add_argument("--json", action="store_true")
    edone = ex_cmds.add_parser("done", help="tick one round of an exercise for today")
    edone.add_argument("id", metavar="ID")
    edone.add_argument("--undo", action="store_true")
    erm = ex_cmds.add_parser("remove", help="delete an exercise")
    erm.add_argument("id", metavar="ID")

    remind = commands.add_parser("remind", help="what is due now, in one line (for a prompt or cron)")
    remind.add_argument("--notify", action="store_true", help="as a desktop notification where possible")
    remind.add_argument("--json", action="store_true")

    took = commands.add_parser("took", help="log caffeine, alcohol or pain medication you took")
    took.add_argument(
        "what", metavar="WHAT", help="e.g. caffeine, coffee, alcohol, wine, ibuprofen, paracetamol"
    )
    took.add_argument("--at", metavar="WHEN", help="when (default now)")
    took.add_argument("--amount", default="", metavar="TEXT", help="e.g. '1 cup' or '400 mg'")
    took.add_argument("--json", action="store_true")

    ask = commands.add_parser("ask", help="note a question for your physiotherapist")
    ask.add_argument("text", nargs="?", metavar="QUESTION")
    ask.add_argument("--list", action="store_true", help="show the questions")
    ask.add_argument("--done", metavar="ID|all", help="mark a question (or all) as asked")
    ask.add_argument("--json", action="store_true")

    add_course_commands(commands)
    add_report_parser(commands)

    config = commands.add_parser("config", help="show or change settings")
    config.add_argument("--timezone", metavar="ZONE", help="your time zone, e.g. Europe/Berlin")
    config.add_argument("--system-timezone", action="store_true", help="use the system's time zone again")
    config.add_argument(
        "--clinic-name", metavar="TEXT", help="your clinic's name: every alert then says who to call"
    )
    config.add_argument(
        "--clinic-phone", metavar="NUMBER", help="your clinic's phone number, e.g. '+44 20 7946 0000'"
    )
    config.add_argument(
        "--forget-clinic", action="store_true", help="forget the clinic name and phone given here"
    )
    config.add_argument("--json", action="store_true")
    return parser


def add_course_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """complaint, activity add|rate|list|remove, course: is the treatment helping?"""
    complaint = commands.add_parser(
        "complaint",
        help="the problem you see your physiotherapist for, in your words (shows it when no TEXT)",
    )
    complaint.add_argument("text", nargs="?", metavar="TEXT", help="e.g. 'stiff neck when driving'")
    complaint.add_argument("--clear", action="store_true", help="forget the complaint")
    complaint.add_argument("--json", action="store_true")

    activity = commands.add_parser(
        "activity", help="activities the problem makes hard, rated 0 (unable) - 10 (as before) about weekly"
    )
    act_cmds = activity.add_subparsers(dest="activity_command", metavar="ACTION", parser_class=_Parser)
    aadd = act_cmds.add_parser("add", help="name an activity (up to 3 followed at a time)")
    aadd.add_argument("name", metavar="NAME", help="e.g. 'turning my head to reverse the car'")
    aadd.add_argument(
        "--score", metavar="0-10", help="how well you can do it now: 0 unable - 10 able as before the problem"
    )
    aadd.add_argument("--json", action="store_true")
    arate = act_cmds.add_parser(
        "rate",
        help="rate activities: ACTIVITY SCORE [ACTIVITY SCORE...] (ACTIVITY: its number or id), "
        "or --all SCORE...",
    )
    arate.add_argument("values", nargs="+", metavar="ACTIVITY SCORE")
    arate.add_argument(
        "--all", action="store_true", help="the values are scores for every activity, in the list's order"
    )
    arate.add_argument("--date", metavar="YYYY-MM-DD", help="an earlier day (default today)")
    arate.add_argument("--json", action="store_true")
    alist = act_cmds.add_parser("list", help="activities with their latest score and when the next is due")
    alist.add_argument("--all", action="store_true", help="include retired ones")
    alist.add_argument("--json", action="store_true")
    arm = act_cmds.add_parser("remove", help="stop following an activity (its ratings stay in the course)")
    arm.add_argument("activity", metavar="ACTIVITY", help="its number or id")

    course = commands.add_parser(
        "course", help="is it helping? one row per session, your ratings by week, what changed"
    )
    course.add_argument("--json", action="store_true")
