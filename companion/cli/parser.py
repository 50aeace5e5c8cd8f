"""The command line's parser (every command and option), built only when arguments are given.

`companion` alone opens the app and never needs it: building it costs about a tenth
of the app's start-up.

Each command's parser names its handler (``set_defaults(handler=_handler("module:function"))``,
imported when that command runs): a new subcommand is its ``add_parser`` with its
arguments and that one line. An argument's
``dest`` is the record key it fills (``--at`` of ``session add`` fills
``started_at``), so a refusal from the core, which names the key, is said with the
option the patient typed (see ``arguments.field_name``).
"""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Callable
from typing import Any, NoReturn, TypeAlias

from companion import __version__
from companion.cli.app_command import open_app
from companion.cli.arguments import DATA_DIR_ENV, UsageError
from companion.core.text import SHOWN_CHARS
from companion.core.wording import example_moment

MAX_USAGE_MESSAGE = 400
"""argparse quotes what it did not understand whole (a 100 KB argument): each word of it is
cut to a short prefix, and the whole message to this much."""
_LONG_WORD = re.compile(f"([^\\s']{{{SHOWN_CHARS}}})[^\\s']+")


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.field_names: dict[str, str] = {}
        """Each argument's dest (a record key) -> what the patient types: '--at', 'FILE'."""
        super().__init__(*args, **kwargs)  # adds --help
        self.set_defaults(field_names=self.field_names)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        options = [o for o in action.option_strings if o.startswith("--")]
        name = options[0] if options else action.metavar or action.dest.upper()
        self.field_names[action.dest] = str(name)
        return action

    def actions(self, dest: str) -> argparse._SubParsersAction[_Parser]:
        """The actions of a command (`session add|list|remove`); the command alone asks for one."""
        actions = self.add_subparsers(dest=dest, metavar="ACTION", parser_class=_Parser)
        self.set_defaults(handler=_choose_action(self.prog, actions))
        return actions

    def error(self, message: str) -> NoReturn:
        message = _LONG_WORD.sub(lambda m: m.group(1) + "…", message)
        if len(message) > MAX_USAGE_MESSAGE:
            message = message[:MAX_USAGE_MESSAGE] + "…"
        raise UsageError(f"{self.prog}: {message}")


def _handler(path: str) -> Callable[..., int]:
    """The handler ``module:function`` of companion.cli, imported when its command runs: each
    command pays for its own module only (the course's rules are not loaded for `status`)."""
    module, name = path.split(":")

    def handler(context: object, args: object) -> int:
        run: Callable[[object, object], int] = getattr(
            importlib.import_module(f"companion.cli.{module}"), name
        )
        return run(context, args)

    handler.handler_path = path  # type: ignore[attr-defined]
    return handler


def _choose_action(prog: str, actions: argparse._SubParsersAction[_Parser]) -> Callable[..., int]:
    def handler(_context: object, _args: object) -> int:
        names = list(actions.choices)
        choices = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
        raise UsageError(f"{prog}: choose an action: {choices}")

    return handler


class NotBuilt(Exception):
    """The command given is one whose parser this run did not build (see `parse_arguments`)."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


class _Unbuilt:
    """Stands in for a command's parser that this run does not build: it takes whatever the
    command's definition calls on it and does nothing; parsing with it raises NotBuilt."""

    def __init__(self, command: str) -> None:
        self.command = command

    def parse_known_args(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise NotBuilt(self.command)

    def __getattr__(self, _name: str) -> Callable[..., _Unbuilt]:
        return lambda *_args, **_kwargs: self


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The top-level commands; with `only` set, the others are listed (in the usage, the
    help and the 'invalid choice' message alike) but their parsers are not built."""

    only: str | None = None

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if self.only is None or name == self.only:
            return super().add_parser(name, **kwargs)
        if "help" in kwargs:
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), kwargs["help"]))
        unbuilt = _Unbuilt(name)
        self._name_parser_map[name] = unbuilt
        return unbuilt


def parse_arguments(arguments: list[str]) -> argparse.Namespace:
    """The parsed command line, building only the parser of the command given (every
    command's parser, some thirty, was a tenth of `status --json`'s start).

    The top level is parsed first with no command's parser built: reaching the command
    names it; then that command's parser alone is built and parses the line. Anything
    else (no command, refused arguments, --help or --version before the command) is left
    to the whole parser, so every answer and message is the whole parser's."""
    try:
        build_parser(only="").parse_args(arguments)
    except NotBuilt as given:
        try:
            args = build_parser(only=given.command).parse_args(arguments)
        except (NotBuilt, UsageError):  # the whole parser says it, as it always did
            pass
        else:
            if getattr(args, "command", None) == given.command:
                return args
    except UsageError:
        pass
    return build_parser().parse_args(arguments)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, the other commands' parsers are left unbuilt."""
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
    parser.set_defaults(handler=open_app, global_field_names=parser.field_names)
    commands_ = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, action=_Commands
    )
    commands_.only = only  # type: ignore[attr-defined]
    add_record_commands(commands_)
    add_backup_commands(commands_)
    add_plan_commands(commands_)
    add_course_commands(commands_)
    add_report_command(commands_)
    add_config_command(commands_)
    _accept_global_options_after(parser)
    return parser


def _accept_global_options_after(parser: argparse.ArgumentParser) -> None:
    """Every command, at any depth, takes the global options too (`companion status --data-dir X`,
    `companion session add --data-dir X ...`), meaning what they mean before the command.

    Their default there is SUPPRESS: a command's parser sets them only when they are given
    after it, so one given before the command is kept (the later one wins when both are)."""
    seen: set[int] = set()

    def add_to(sub: argparse.ArgumentParser) -> None:
        if id(sub) in seen:
            return
        seen.add(id(sub))
        sub.add_argument(
            "--data-dir",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="where your data and backups live (as before the command)",
        )
        sub.add_argument(
            "--version", action="version", version=f"companion {__version__}", help=argparse.SUPPRESS
        )
        for child in _commands_of(sub):
            add_to(child)

    for child in _commands_of(parser):
        add_to(child)


def _commands_of(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [
        sub
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for sub in action.choices.values()
        if not isinstance(sub, _Unbuilt)
    ]


Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"


def add_record_commands(commands_: Commands) -> None:
    """session, status, water, checkin, history: what the patient records day by day."""
    session = commands_.add_parser("session", help="record or list needling sessions")
    session_cmds = session.actions("session_command")
    add = session_cmds.add_parser("add", help="record a needling session")
    add.add_argument(
        "--at",
        dest="started_at",
        metavar="WHEN",
        help="when the needling took place (default now), e.g. "
        f"{example_moment(-1)} (local time), {example_moment(-1)}+01:00 or 16:30 for today",
    )
    add.add_argument(
        "--intensity",
        default="standard",
        metavar="standard|intense",
        help="intense: many trigger points or a large area (longer restrictions)",
    )
    add.add_argument(
        "--area",
        dest="areas",
        action="append",
        default=[],
        metavar="TEXT",
        help="area treated (repeat for several)",
    )
    add.add_argument("--note", default="", metavar="TEXT")
    add.add_argument("--json", action="store_true", help="print the new session as JSON")
    add.set_defaults(handler=_handler("commands:session_add"))
    lst = session_cmds.add_parser("list", help="sessions, newest first")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_handler("commands:session_list"))
    rm = session_cmds.add_parser("remove", help="delete a session recorded by mistake")
    rm.add_argument("id", metavar="ID")
    rm.set_defaults(handler=_handler("commands:session_remove"))

    status = commands_.add_parser("status", help="restrictions with time left, water, check-in, alerts")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_handler("status_command:status"))

    water = commands_.add_parser("water", help="tick glasses of water for today")
    water.add_argument("glasses", nargs="?", metavar="N", help="glasses to tick (default 1)")
    water.add_argument("--undo", action="store_true", help="remove one glass")
    water.add_argument("--goal", metavar="N", help="set the daily goal (ticks nothing)")
    water.add_argument("--json", action="store_true")
    water.set_defaults(handler=_handler("commands:water"))

    checkin = commands_.add_parser("checkin", help="record today's symptom check-in")
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
    checkin.set_defaults(handler=_handler("commands:checkin"))

    history = commands_.add_parser("history", help="one row per day")
    history.add_argument("--days", metavar="N", default="14", help="how many days back (default 14)")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=_handler("commands:history"))


def add_backup_commands(commands_: Commands) -> None:
    """export, import, protocol: files in and out."""
    export = commands_.add_parser("export", help="a backup or a report for your clinician")
    export.add_argument("--format", default="json", metavar="json|csv|md|ics|html")
    export.add_argument(
        "--output", metavar="FILE", help="write to FILE, a regular file (default, or -: print it)"
    )
    export.set_defaults(handler=_handler("commands:export"))

    imp = commands_.add_parser("import", help="restore a json export (importing twice adds nothing)")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(handler=_handler("commands:import_file"))

    protocol = commands_.add_parser("protocol", help="your clinic's own after-care protocol")
    protocol_cmds = protocol.actions("protocol_command")
    pimp = protocol_cmds.add_parser("import", help="use a clinic's protocol file (TOML)")
    pimp.add_argument("file", metavar="FILE")
    pimp.set_defaults(handler=_handler("commands:protocol_import"))
    pshow = protocol_cmds.add_parser("show", help="the protocol in effect, and where each item comes from")
    pshow.add_argument("--json", action="store_true")
    pshow.set_defaults(handler=_handler("commands:protocol_show"))
    preset = protocol_cmds.add_parser("reset", help="go back to the general guidance")
    preset.set_defaults(handler=_handler("commands:protocol_reset"))


def add_plan_commands(commands_: Commands) -> None:
    """appointment, exercise, remind, took, ask: the plan between sessions."""
    appt = commands_.add_parser("appointment", help="follow-up appointments")
    appt_cmds = appt.actions("appointment_command")
    aadd = appt_cmds.add_parser("add", help="record a follow-up appointment")
    aadd.add_argument(
        "--at", metavar="WHEN", required=True, help=f"e.g. {example_moment(7, '09:00')} (local time)"
    )
    aadd.add_argument("--note", default="", metavar="TEXT")
    aadd.set_defaults(handler=_handler("commands:appointment_add"))
    alist = appt_cmds.add_parser("list", help="appointments, soonest first")
    alist.add_argument("--all", action="store_true", help="include past ones")
    alist.add_argument("--json", action="store_true")
    alist.set_defaults(handler=_handler("commands:appointment_list"))
    arm = appt_cmds.add_parser("remove", help="delete an appointment")
    arm.add_argument("id", metavar="ID")
    arm.set_defaults(handler=_handler("commands:appointment_remove"))

    ex = commands_.add_parser("exercise", help="your home exercise programme")
    ex_cmds = ex.actions("exercise_command")
    eadd = ex_cmds.add_parser("add", help="add a prescribed exercise")
    eadd.add_argument("--name", required=True, metavar="TEXT")
    eadd.add_argument("--sets", metavar="N")
    eadd.add_argument("--reps", metavar="N")
    eadd.add_argument("--minutes", metavar="M")
    eadd.add_argument("--per-day", default="1", metavar="N", help="times a day (default 1)")
    eadd.add_argument("--note", default="", metavar="TEXT")
    eadd.set_defaults(handler=_handler("commands:exercise_add"))
    elist = ex_cmds.add_parser("list", help="exercises with today's ticks")
    elist.add_argument("--json", action="store_true")
    elist.set_defaults(handler=_handler("commands:exercise_list"))
    edone = ex_cmds.add_parser("done", help="tick one round of an exercise for today")
    edone.add_argument("id", metavar="ID")
    edone.add_argument("--undo", action="store_true")
    edone.set_defaults(handler=_handler("commands:exercise_done"))
    erm = ex_cmds.add_parser("remove", help="delete an exercise")
    erm.add_argument("id", metavar="ID")
    erm.set_defaults(handler=_handler("commands:exercise_remove"))

    remind = commands_.add_parser("remind", help="what is due now, in one line (for a prompt or cron)")
    remind.add_argument("--notify", action="store_true", help="as a desktop notification where possible")
    remind.add_argument("--json", action="store_true")
    remind.set_defaults(handler=_handler("commands:remind"))

    took = commands_.add_parser("took", help="log caffeine, alcohol or pain medication you took")
    took.add_argument(
        "what", metavar="WHAT", help="e.g. caffeine, coffee, alcohol, wine, ibuprofen, paracetamol"
    )
    took.add_argument("--at", metavar="WHEN", help="when (default now)")
    took.add_argument("--amount", default="", metavar="TEXT", help="e.g. '1 cup' or '400 mg'")
    took.add_argument("--json", action="store_true")
    took.set_defaults(handler=_handler("commands:took"))

    ask = commands_.add_parser("ask", help="note a question for your physiotherapist")
    ask.add_argument("text", nargs="?", metavar="QUESTION")
    ask.add_argument("--list", action="store_true", help="show the questions")
    ask.add_argument("--done", metavar="ID|all", help="mark a question (or all) as asked")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(handler=_handler("commands:ask"))


def add_course_commands(commands_: Commands) -> None:
    """complaint, activity add|rate|list|remove, course: is the treatment helping?"""
    complaint = commands_.add_parser(
        "complaint",
        help="the problem you see your physiotherapist for, in your words (shows it when none is given)",
    )
    complaint.add_argument("text", nargs="?", metavar="COMPLAINT", help="e.g. 'stiff neck when driving'")
    complaint.add_argument("--clear", action="store_true", help="forget the complaint")
    complaint.add_argument("--json", action="store_true")
    complaint.set_defaults(handler=_handler("course_commands:complaint"))

    activity = commands_.add_parser(
        "activity", help="activities the problem makes hard, rated 0 (unable) - 10 (as before) about weekly"
    )
    act_cmds = activity.actions("activity_command")
    aadd = act_cmds.add_parser("add", help="name an activity (up to 3 followed at a time)")
    aadd.add_argument("name", metavar="NAME", help="e.g. 'turning my head to reverse the car'")
    aadd.add_argument(
        "--score", metavar="0-10", help="how well you can do it now: 0 unable - 10 able as before the problem"
    )
    aadd.add_argument("--json", action="store_true")
    aadd.set_defaults(handler=_handler("course_commands:activity_add"))
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
    arate.set_defaults(handler=_handler("course_commands:activity_rate"))
    alist = act_cmds.add_parser("list", help="activities with their latest score and when the next is due")
    alist.add_argument("--all", action="store_true", help="include retired ones")
    alist.add_argument("--json", action="store_true")
    alist.set_defaults(handler=_handler("course_commands:activity_list"))
    arm = act_cmds.add_parser("remove", help="stop following an activity (its ratings stay in the course)")
    arm.add_argument("activity_id", metavar="ACTIVITY", help="its number or id")
    arm.set_defaults(handler=_handler("course_commands:activity_remove"))

    course = commands_.add_parser(
        "course", help="is it helping? one row per session, your ratings by week, what changed"
    )
    course.add_argument("--json", action="store_true")
    course.set_defaults(handler=_handler("course_commands:course"))


def add_report_command(commands_: Commands) -> None:
    """report: the page for the physiotherapist, written to the documents folder."""
    report = commands_.add_parser(
        "report",
        help="write the report for your physiotherapist as a web page in your documents folder",
    )
    report.add_argument("--open", action="store_true", help="then open it in your web browser")
    report.set_defaults(handler=_handler("report_commands:report_command"))


def add_config_command(commands_: Commands) -> None:
    config = commands_.add_parser("config", help="show or change settings")
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
    config.add_argument(
        "--glass-size",
        metavar="SIZE",
        help="the glass you drink from, in ml or oz, e.g. '250 ml' or '8 oz': water is then also "
        "shown as an amount",
    )
    config.add_argument(
        "--forget-glass-size", action="store_true", help="count glasses only again (forget the glass size)"
    )
    config.add_argument("--json", action="store_true")
    config.set_defaults(handler=_handler("commands:config"))
