"""Issue 9, the safety net, through the core and the CLI: nothing can silence when to get
help, and alerts are neither stale nor crying wolf.

The CLI runs in this process (``companion.cli.main.main``) so the clock can be frozen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from companion.cli.main import main
from companion.core.clinic import effective_protocol
from companion.core.errors import ProtocolError
from companion.core.protocol import default_protocol
from companion.store import Store

TZ = "Europe/Berlin"


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


@pytest.fixture(autouse=True)
def _berlin(berlin: str) -> Iterator[None]:
    yield


class Cli:
    """`companion ...` in this process, on a temporary data folder, at a frozen moment."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys
        self.now = at(2026, 11, 22, 10, 0)

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        with pendulum.travel_to(self.now, freeze=True):
            code = main(["--data-dir", str(self.data_dir), *args])
        pendulum.set_local_timezone(pendulum.timezone(TZ))  # `main` applies the stored zone
        captured = self.capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, err
        return out

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "data", capsys)


# ------------------------------------------------------------------ 1. a clinic cannot silence a red flag

SILENCING = {
    "remove-urgent": (
        "schema = 1\n[remove]\nred_flag = ['urgent-breathing', 'severe-pain']\n",
        "urgent-breathing",
    ),
    "remove-contact": ("schema = 1\n[remove]\nred_flag = ['worsening']\n", "worsening"),
    "lower-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nlevel = 'contact-clinician'\n"
        "message = 'Mention it at your next visit.'\n",
        "urgent-breathing",
    ),
    "reword-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nmessage = 'Mention it at your next visit.'\n",
        "urgent-breathing",
    ),
    "retitle-urgent": (
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\ntitle = 'Feeling puffed'\n",
        "urgent-breathing",
    ),
}


@pytest.mark.parametrize("case", SILENCING)
def test_a_clinic_file_that_removes_or_lowers_a_red_flag_is_refused_naming_it(case: str) -> None:
    text, flag = SILENCING[case]
    with pytest.raises(ProtocolError) as err:
        effective_protocol(text, "clinic.toml")
    assert f"'{flag}'" in str(err.value) and "clinic.toml" in str(err.value)


def test_a_clinic_may_add_a_local_emergency_number_to_the_urgent_sign() -> None:
    p = effective_protocol(
        "schema = 1\n[[red_flag]]\nid = 'urgent-breathing'\nnote = 'In the UK, call 999.'\n"
    )
    flag = p.red_flag("urgent-breathing")
    base = default_protocol().red_flag("urgent-breathing")
    assert flag is not None and base is not None
    assert flag.level == "urgent" and flag.title == base.title
    assert flag.message.startswith(base.message) and flag.message.endswith("In the UK, call 999.")


def test_a_clinic_may_tune_a_contact_flag_and_raise_it_but_not_lower_it() -> None:
    p = effective_protocol(
        "schema = 1\n[[red_flag]]\nid = 'severe-pain'\nmin_soreness = 7\nlevel = 'urgent'\n"
        "message = 'Ring us straight away.'\n"
    )
    flag = p.red_flag("severe-pain")
    assert flag is not None and (flag.min_soreness, flag.level) == (7, "urgent")


def test_the_issue_s_silencing_file_is_refused_whole_by_the_cli_and_alerts_still_fire(
    cli: Cli, tmp_path: Path
) -> None:
    silencing = tmp_path / "clinic.toml"
    silencing.write_text(
        "schema = 1\n[clinic]\nname = 'Quiet Clinic'\n[remove]\n"
        "red_flag = ['urgent-breathing', 'severe-pain']\nchecklist = ['nourish']\n"
    )
    code, _out, err = cli.run("protocol", "import", str(silencing))
    assert code == 2 and "urgent-breathing" in err and "cannot be removed" in err
    shown = cli.json("protocol", "show")
    assert shown["clinic"] is None  # nothing of the file applied, not even its other parts
    assert any(c["id"] == "nourish" for c in shown["checklist"])
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    result = cli.json("checkin", "--soreness", "9", "--fatigue", "2", "--sharp-pain", "--breathing-trouble")
    assert [a["id"] for a in result["alerts"]] == ["urgent-breathing", "severe-pain"]


def test_a_stored_clinic_file_that_silences_a_flag_is_not_used(cli: Cli) -> None:
    # Kept by an older companion that accepted it: it is checked again when read.
    store = Store(cli.data_dir)
    store.set_clinic_text(
        "schema = 1\n[clinic]\nname = 'Quiet Clinic'\n[remove]\nred_flag = ['urgent-breathing']\n"
    )
    cli.ok("session", "add", "--at", "2026-11-22T08:00")
    code, out, err = cli.run("checkin", "--soreness", "1", "--fatigue", "1", "--breathing-trouble")
    assert code == 0 and "URGENT" in out
    assert "urgent-breathing" in err and "general guidance" in err
