"""The command line builds only the parser of the command given (issue 14: every command's
parser was a tenth of `status --json`'s start), and parses every line as the whole parser
does: the same values, the same refusals."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from companion.cli import parser as cli_parser
from companion.cli.arguments import UsageError

LINES = [
    ["status", "--json"],
    ["--data-dir", "status", "water"],  # a folder named like a command
    ["--data-dir=x", "session", "add", "--at", "16:30", "--area", "neck"],
    ["session", "list", "--data-dir", "y"],
    ["history", "--days", "3"],
    ["appointment", "remove", "abc"],
    ["session"],  # the command alone: its handler asks for an action
]
REFUSED = [["statu"], ["status", "--bogus"], ["--bogus", "status"], ["water", "x", "y"]]


def built_commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The prog of every command parser built from now on."""
    built: list[str] = []
    original = cli_parser._Parser.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(str(kwargs.get("prog", "")))
        original(self, *args, **kwargs)

    monkeypatch.setattr(cli_parser._Parser, "__init__", spy)
    return built


def as_dict(args: argparse.Namespace) -> dict[str, Any]:
    values = dict(vars(args))
    handler = values.pop("handler")
    values["handler"] = getattr(handler, "handler_path", getattr(handler, "__qualname__", None))
    return values


@pytest.mark.parametrize("line", LINES)
def test_a_line_is_parsed_as_the_whole_parser_does(line: list[str]) -> None:
    assert as_dict(cli_parser.parse_arguments(line)) == as_dict(cli_parser.build_parser().parse_args(line))


@pytest.mark.parametrize("line", REFUSED)
def test_a_refused_line_is_refused_in_the_whole_parser_s_words(line: list[str]) -> None:
    with pytest.raises(UsageError) as whole:
        cli_parser.build_parser().parse_args(line)
    with pytest.raises(UsageError) as lazy:
        cli_parser.parse_arguments(line)
    assert str(lazy.value) == str(whole.value)


def test_status_builds_its_own_parser_only(monkeypatch: pytest.MonkeyPatch) -> None:
    built = built_commands(monkeypatch)
    args = cli_parser.parse_arguments(["--data-dir", "d", "status", "--json"])
    assert args.command == "status" and args.json and args.data_dir == "d"
    commands = {prog.split()[1] for prog in built if len(prog.split()) > 1}
    assert commands == {"status"}, built
