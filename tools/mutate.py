"""Mutation testing for companion: does the suite notice when the code is wrong?

    .venv/bin/python tools/mutate.py                      # every file in tools/mutation.toml
    .venv/bin/python tools/mutate.py companion/core/alerts.py
    .venv/bin/python tools/mutate.py companion/core/alerts.py --list        # the mutants, no run
    .venv/bin/python tools/mutate.py companion/core/alerts.py --match '>='  # only some of them
    .venv/bin/python tools/mutate.py --json /tmp/mutants.json               # results as JSON too

Each mutant is one small change to the source (one comparison, one number, one key,
one deleted call...). It is written over the file IN PLACE, so that everything sees it:
the tests in the pytest process and the CLI the subprocess tests start (`python -m
companion`, tests/launch.py: the package is installed editable). Then the file's test
subset (tools/mutation.toml) runs, serially and stopping at the first failure. A
mutant is *killed* when a test fails (or the tests cannot even be collected), *timed
out* when the run takes far longer than the unmutated one (an endless loop: counted as
killed), and *survives* when every test passes: then no test would notice that bug.

The file is always put back: after each mutant, on Ctrl+C, on SIGTERM; and should this
process be killed outright (SIGKILL), the original waits in .mutation-backup/ and the
next run puts it back before anything else (it says so).

Mutants that cannot change behaviour (equivalent) or change only the wording of a
message are listed in tools/mutation.toml with the reason; they are reported apart and
left out of the score: killed / (all - equivalent - wording).

Not part of CI (a full run takes a while): run it by hand after changing a mutated file.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fcntl
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).with_name("mutation.toml")
BACKUP_DIR = ROOT / ".mutation-backup"
CACHE_DIR = ROOT / ".mutation-cache"
LOCK_FILE = ROOT / ".mutation-lock"
PYTEST_OPTIONS = ["-x", "-q", "-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider", "--no-header"]

# A string is taken for a key (a record field, a table name, an id) when it looks like
# one; a string with spaces is wording, which the tool leaves alone.
_KEY_LIKE = re.compile(r"^[A-Za-z0-9_.\-/+:]{0,40}$")
_COMPARE_SWAP = {
    ast.Lt: "<=",
    ast.LtE: "<",
    ast.Gt: ">=",
    ast.GtE: ">",
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.In: "not in",
    ast.NotIn: "in",
    ast.Is: "is not",
    ast.IsNot: "is",
}
_COMPARE_TOKEN = re.compile(r"not\s+in\b|is\s+not\b|\bin\b|\bis\b|<=|>=|==|!=|<|>")
_BINOP_SWAP = {
    ast.Add: ("+", "-"),
    ast.Sub: ("-", "+"),
    ast.Mult: ("*", "/"),
    ast.Div: ("/", "*"),
    ast.FloorDiv: ("//", "/"),
    ast.Mod: ("%", "//"),
    ast.BitOr: ("|", "&"),
    ast.BitAnd: ("&", "|"),
    ast.Pow: ("**", "*"),
}
_CALL_SWAP = {"min": "max", "max": "min", "round": "int", "any": "all", "all": "any"}


@dataclass
class Mutant:
    file: str
    line: int
    where: str
    change: str
    start: int  # byte offsets in the file
    end: int
    replacement: str
    statement_line: int  # where the statement holding it starts (what coverage records)
    used_at: list[int] = field(default_factory=list)
    """For a value made at import (a module constant, a default argument): the lines that use
    it, whose tests can notice the change. Empty: the statement's own line."""
    name: str = ""
    """The module constant it changes, if any (a test file naming it may read it directly)."""
    only_new: bool = False
    """Killed, but only by a test of --new-tests (every older test passed)."""
    status: str = "not run"
    seconds: float = 0.0
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.where, self.change)


@dataclass
class Known:
    kind: str  # "equivalent" or "wording"
    why: str


@dataclass
class FileResult:
    file: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for m in self.mutants if m.status == status)

    @property
    def score_without_new(self) -> float | None:
        """The score the tests had without the --new-tests (they run last, after the others)."""
        judged = self.count("killed") + self.count("timeout") + self.count("survived")
        if judged == 0:
            return None
        caught = self.count("killed") + self.count("timeout") - sum(m.only_new for m in self.mutants)
        return 100.0 * caught / judged

    @property
    def uncovered(self) -> int:
        return sum(1 for m in self.mutants if m.note.startswith("uncovered"))

    @property
    def score(self) -> float | None:
        judged = self.count("killed") + self.count("timeout") + self.count("survived")
        if judged == 0:
            return None
        return 100.0 * (self.count("killed") + self.count("timeout")) / judged


# ---------------------------------------------------------------------------- finding mutants


def _window(prefix: str, old: str, new: str, suffix: str, reach: int = 40) -> str:
    """'... before -> ... after', cut around the change so that the change always shows."""
    prefix, old, new, suffix = (" ".join(t.split(" ")) for t in (prefix, old, new, suffix))
    prefix = " ".join(prefix.split()) + (" " if prefix[-1:].isspace() else "")
    suffix = (" " if suffix[:1].isspace() else "") + " ".join(suffix.split())
    head = prefix if len(prefix) <= reach else "..." + prefix[-reach:]
    tail = suffix if len(suffix) <= reach else suffix[:reach] + "..."
    return f"{head}{_short(old, 80)}{tail} -> {head}{_short(new, 80)}{tail}"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Finder(ast.NodeVisitor):
    """Walks a module and proposes the mutants; skips docstrings, annotations, imports,
    decorators, f-strings (messages) and TYPE_CHECKING blocks."""

    def __init__(self, file: str, source: bytes) -> None:
        self.file = file
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.line_starts = [0]
        for line in self.lines:
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.scope: list[str] = []
        self.in_function = 0
        self.used_at: list[int] = []
        self.constant = ""
        self.uses: dict[str, list[int]] = {}
        self.statements: list[int] = []
        self.mutants: list[Mutant] = []

    def visit(self, node: ast.AST) -> None:
        if not isinstance(node, ast.stmt):
            return super().visit(node)
        self.statements.append(node.lineno)
        try:
            super().visit(node)
        finally:
            self.statements.pop()

    # -- positions

    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def text(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8")

    def changed(self, node: ast.AST, a: int, b: int, new: str) -> str:
        """'before -> after' for a change of the bytes a..b inside node."""
        start, end = self.span(node)
        return _window(self.text(start, a), self.text(a, b), new, self.text(b, end))

    def add(self, node: ast.AST, start: int, end: int, replacement: str, change: str) -> None:
        where = ".".join(self.scope) or "<module>"
        self.mutants.append(
            Mutant(
                self.file,
                node.lineno,  # type: ignore[attr-defined]
                where,
                change,
                start,
                end,
                replacement,
                self.statements[-1] if self.statements else node.lineno,  # type: ignore[attr-defined]
                list(self.used_at),
                self.constant,
            )
        )

    # -- scopes and what to skip

    def _body_without_docstring(self, body: list[ast.stmt]) -> list[ast.stmt]:
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            return body[1:] if isinstance(first.value.value, str) else body
        return body

    def visit_Module(self, node: ast.Module) -> None:
        for stmt in self._body_without_docstring(node.body):
            self.visit(stmt)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.in_function += 1
        body = self._body_without_docstring(node.body)
        self.used_at = [body[0].lineno] if body else []  # a default is used where the body runs
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)
        self.used_at = []
        for stmt in self._body_without_docstring(node.body):
            self.visit(stmt)
        self.in_function -= 1
        self.scope.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        for stmt in self._body_without_docstring(node.body):
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # attribute docstrings
            self.visit(stmt)
        self.scope.pop()

    def visit_Import(self, node: ast.Import) -> None:
        pass

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        pass

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        pass  # a message: its wording is not behaviour

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._named(node.target, node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._named(node.targets[0], node.value)

    def _named(self, target: ast.expr, value: ast.expr) -> None:
        """A constant of the module or class is named after what it is assigned to."""
        name = target.id if isinstance(target, ast.Name) and len(self.scope) < 2 else None
        if name is None or self.in_function:
            return self.visit(value)
        module_level = not self.scope
        self.scope.append(name)
        if module_level:
            self.used_at, self.constant = self.uses.get(name, []), name
        self.visit(value)
        self.used_at, self.constant = [], ""
        self.scope.pop()

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a stray docstring
        if isinstance(node.value, ast.Call | ast.Await):
            start, end = self.span(node)
            self.add(node, start, end, "pass", f"delete: {_short(self.text(start, end), 70)}")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        start, end = self.span(node)
        self.add(node, start, end, "pass", f"delete: {_short(self.text(start, end), 70)}")
        self.generic_visit(node)

    def _delete_jump(self, node: ast.stmt) -> None:
        start, end = self.span(node)
        self.add(node, start, end, "pass", f"delete: {self.text(start, end)}")

    visit_Continue = _delete_jump
    visit_Break = _delete_jump

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not isinstance(value, ast.Constant):
            start, end = self.span(value)
            self.add(node, start, end, "None", f"return {_short(self.text(start, end), 60)} -> return None")
        self.generic_visit(node)

    # -- expressions

    def _gap(self, left: ast.AST, right: ast.AST) -> tuple[int, int]:
        return self.span(left)[1], self.span(right)[0]

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            start, end = self._gap(operands[i], operands[i + 1])
            gap = self.text(start, end)
            found = _COMPARE_TOKEN.search(gap)
            new = _COMPARE_SWAP.get(type(op))
            if found is None or new is None:
                continue
            a, b = start + len(gap[: found.start()].encode()), start + len(gap[: found.end()].encode())
            self.add(node, a, b, new, self.changed(node, a, b, new))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = _BINOP_SWAP.get(type(node.op))
        if swap is not None:
            start, end = self._gap(node.left, node.right)
            gap = self.text(start, end)
            index = gap.find(swap[0])
            if index >= 0:
                a = start + len(gap[:index].encode())
                self.add(node, a, a + len(swap[0]), swap[1], self.changed(node, a, a + len(swap[0]), swap[1]))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = _BINOP_SWAP.get(type(node.op))
        if swap is not None:
            start, end = self._gap(node.target, node.value)
            gap = self.text(start, end)
            index = gap.find(swap[0] + "=")
            if index >= 0:
                a = start + len(gap[:index].encode())
                self.add(node, a, a + len(swap[0]), swap[1], self.changed(node, a, a + len(swap[0]), swap[1]))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        first = self.span(node.values[0])[0]
        pieces: list[tuple[int, int]] = []
        for left, right in zip(node.values, node.values[1:], strict=False):
            start, end = self._gap(left, right)
            found = re.search(rf"\b{old}\b", self.text(start, end))
            if found is None:
                return self.generic_visit(node)
            gap = self.text(start, end)
            a, b = start + len(gap[: found.start()].encode()), start + len(gap[: found.end()].encode())
            pieces.append((a, b))
        last = self.span(node.values[-1])[1]
        # One mutant for the whole chain: every `and` becomes `or` (or back).
        original = self.text(first, last)
        rebuilt = original
        for a, b in reversed(pieces):
            cut, resume = len(self.text(first, a)), len(self.text(first, b))
            rebuilt = rebuilt[:cut] + new + rebuilt[resume:]
        self.add(node, first, last, rebuilt, f"{old} -> {new} in: {_short(original, 70)}")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            start, end = self.span(node)
            inner = self.text(*self.span(node.operand))
            self.add(node, start, end, f"({inner})", f"delete not: {_short(self.text(start, end), 70)}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _CALL_SWAP:
            start, end = self.span(func)
            new = _CALL_SWAP[func.id]
            self.add(node, start, end, new, self.changed(node, start, end, new))
        self.generic_visit(node)

    def in_line(self, node: ast.AST, a: int, b: int, new: str) -> str:
        """'line before -> line after' for a change of the bytes a..b on node's line."""
        line = node.lineno  # type: ignore[attr-defined]
        start, end = self.line_starts[line - 1], self.line_starts[line]
        return _window(self.text(start, a).lstrip(), self.text(a, b), new, self.text(b, end).rstrip())

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        start, end = self.span(node)
        original = self.text(start, end)
        if node.lineno != node.end_lineno:
            return
        if isinstance(value, bool):
            new = str(not value)
        elif isinstance(value, int):
            new = str(value + 1)
        elif isinstance(value, float):
            new = repr(value + 1.0)
        elif isinstance(value, str) and _KEY_LIKE.match(value) and original[:1] in "'\"":
            new = repr(f"XX{value}XX")
        else:
            return
        self.add(node, start, end, new, self.in_line(node, start, end, new))


def find_mutants(path: Path) -> list[Mutant]:
    source = path.read_bytes()
    rel = str(path.resolve().relative_to(ROOT))
    finder = _Finder(rel, source)
    tree = ast.parse(source, filename=rel)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            finder.uses.setdefault(node.id, []).append(node.lineno)
    finder.visit(tree)
    mutants = sorted(finder.mutants, key=lambda m: (m.start, m.end, m.change))
    # Two identical changes in one function: number them so each keeps its own key.
    seen: dict[tuple[str, str, str], int] = {}
    for m in mutants:
        n = seen.get(m.key, 0) + 1
        seen[m.key] = n
        if n > 1:
            m.change = f"{m.change} #{n}"
    return [m for m in mutants if _compiles(source, m)]


def apply(source: bytes, mutant: Mutant) -> bytes:
    return source[: mutant.start] + mutant.replacement.encode() + source[mutant.end :]


def _compiles(source: bytes, mutant: Mutant) -> bool:
    try:
        compile(apply(source, mutant), mutant.file, "exec")
    except SyntaxError:
        return False
    return True


# ---------------------------------------------------------------------------- running


class Interrupted(Exception):
    pass


def _on_term(signum: int, frame: object) -> None:
    raise Interrupted()


def restore_leftovers() -> None:
    """Put back any file a killed run left mutated."""
    if not BACKUP_DIR.is_dir():
        return
    for saved in BACKUP_DIR.rglob("*.py"):
        target = ROOT / saved.relative_to(BACKUP_DIR)
        print(f"putting back {target.relative_to(ROOT)}, left mutated by a run that was killed")
        shutil.copyfile(saved, target)
        _drop_bytecode(target)
        saved.unlink()
    shutil.rmtree(BACKUP_DIR, ignore_errors=True)


def _drop_bytecode(path: Path) -> None:
    cache = path.parent / "__pycache__"
    for pyc in cache.glob(f"{path.stem}.*.pyc"):
        pyc.unlink(missing_ok=True)


class InPlace:
    """Writes mutants over one file and always puts the original back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.saved = BACKUP_DIR / path.relative_to(ROOT)

    def __enter__(self) -> InPlace:
        self.saved.parent.mkdir(parents=True, exist_ok=True)
        self.saved.write_bytes(self.original)
        return self

    def write(self, content: bytes) -> None:
        self.path.write_bytes(content)
        _drop_bytecode(self.path)

    def __exit__(self, *exc: object) -> None:
        self.path.write_bytes(self.original)
        _drop_bytecode(self.path)
        self.saved.unlink(missing_ok=True)
        shutil.rmtree(BACKUP_DIR, ignore_errors=True)


def run_tests(tests: list[str], timeout: float | None) -> tuple[str, float, str]:
    """('passed' | 'failed' | 'timeout', seconds, the failed test or the last lines of output)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *tests]
    began = time.monotonic()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return "timeout", time.monotonic() - began, ""
    except BaseException:
        _kill_group(proc)
        raise
    lines = out.decode(errors="replace").strip().splitlines()
    failed = [line.split(" ")[1] for line in lines if line.startswith(("FAILED ", "ERROR "))]
    why = failed[0] if failed else " | ".join(lines[-2:])
    return ("passed" if proc.returncode == 0 else "failed"), time.monotonic() - began, why


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


ANYWHERE = "*"
"""Reached outside any test (at import, while collecting): every test may see the mutant."""


def reaching_tests(rel: str, tests: list[str]) -> tuple[dict[int, list[str]] | None, float]:
    """For each line of ``rel`` that the tests run, the tests that run it (node ids, in the
    order they ran), in the pytest process and in every process a test starts (coverage's
    subprocess patch, and tools/mutate_contexts.py to tell whose process it was); None
    when coverage is not installed.

    A process killed outright (the fault tests' SIGKILL) saves nothing, so a line that only
    such a process reaches counts as not reached: its mutants are reported as *uncovered*
    survivors, never as killed.
    """
    try:
        from coverage import CoverageData
    except ImportError:
        return None, 0.0
    # Kept while the code and the tests stay the same: a rerun need not measure again.
    digest = hashlib.sha256(json.dumps([rel, tests]).encode())
    for source in sorted([*ROOT.glob("companion/**/*.py"), *ROOT.glob("tests/**/*.py")]):
        digest.update(source.read_bytes())
    cached = CACHE_DIR / f"reach-{digest.hexdigest()[:24]}.json"
    saved = json.loads(cached.read_text()) if cached.exists() else {}
    if "reach" in saved and "seconds" in saved:
        return {int(line): nodes for line, nodes in saved["reach"].items()}, saved["seconds"]
    began = time.monotonic()
    found = _measure_reach(rel, tests, CoverageData)
    seconds = time.monotonic() - began
    CACHE_DIR.mkdir(exist_ok=True)
    cached.write_text(json.dumps({"seconds": seconds, "reach": found}))
    return found, seconds


def _measure_reach(rel: str, tests: list[str], CoverageData: Any) -> dict[int, list[str]]:
    with tempfile.TemporaryDirectory(prefix="mutate-coverage-") as tmp:
        os.chmod(tmp, 0o777)  # a test may run a child as another user (the sudo tests)
        rc = Path(tmp, "coveragerc")
        rc.write_text(
            f"[run]\ndata_file = {Path(tmp, 'data')}\nparallel = true\npatch = subprocess\n"
            f"include = {ROOT / rel}\n"
        )
        env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "COVERAGE_RCFILE": str(rc),
            "MUTATE_COVERAGE_DIR": tmp,
            "PYTHONPATH": str(Path(__file__).parent),
        }
        command = [sys.executable, "-m", "coverage", "run", "-m", "pytest", *PYTEST_OPTIONS]
        command += ["-p", "mutate_contexts", *tests]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{rel}: its tests fail under coverage:\n{done.stdout.decode()[-3000:]}")
        found = json.loads(Path(tmp, "children.json").read_text())
        children, order = found["children"], {node: i for i, node in enumerate(found["order"])}
        reach: dict[int, set[str]] = {}
        for data_file in Path(tmp).glob("data.*"):
            data = CoverageData(basename=str(data_file))
            data.read()
            owner = children.get(data_file.name)
            if owner is not None:
                for line in data.lines(str(ROOT / rel)) or []:
                    reach.setdefault(line, set()).add(owner)
                continue
            for line, contexts in data.contexts_by_lineno(str(ROOT / rel)).items():
                reach.setdefault(line, set()).update(c if c else ANYWHERE for c in contexts)
        return {
            line: [ANYWHERE] if ANYWHERE in nodes else sorted(nodes, key=lambda n: order.get(n, len(order)))
            for line, nodes in reach.items()
        }


def _choose(
    mutant: Mutant, reach: dict[int, list[str]], tests: list[str], everywhere: list[str]
) -> list[str]:
    """The tests that can notice the mutant: those that run its line (or, for a value made at
    import, the lines that use it), in the subset's order; any test using the module when
    the line runs at import and nothing narrower is known. Empty: no test reaches it."""
    lines = mutant.used_at or [mutant.statement_line]
    nodes: set[str] = set()
    for line in lines:
        nodes.update(reach.get(line, []))
    if mutant.name:  # a test file naming the constant may read it directly
        word = re.compile(rf"\b{re.escape(mutant.name)}\b")
        nodes.update(t for t in tests if "::" not in t and word.search((ROOT / t).read_text()))
    if ANYWHERE in nodes:
        return everywhere
    files = [t for t in tests if t in nodes]
    rank = {t: i for i, t in enumerate(tests)}
    singles = sorted(
        (n for n in nodes if n not in files and n.split("::")[0] not in files),
        key=lambda n: (rank.get(n.split("::")[0], len(rank)), n),
    )
    return sorted(files, key=lambda t: rank[t]) + singles


def _importers(rel: str, tests: list[str], reach: dict[int, list[str]] | None) -> list[str]:
    """The tests that may notice a change made at import time: those that run any line of
    the module, and every test of a test file that imports it (it may read a constant)."""
    if reach is None:
        return tests
    module = rel.removesuffix(".py").replace("/", ".")
    name = module.rsplit(".", 1)
    pattern = re.compile(rf"{re.escape(module)}\b|from {re.escape(name[0])} import [^\n]*\b{name[1]}\b")
    files = [t for t in tests if "::" not in t and pattern.search((ROOT / t).read_text())]
    nodes = {n for found in reach.values() for n in found if n != ANYWHERE}
    ordered = [t for t in tests if t in files]
    for test in tests:
        ordered += sorted(n for n in nodes if n.split("::")[0] == test and test not in files)
    return ordered or tests


def _file(test: str) -> str:
    return test.split("::")[0]


def load_config() -> tuple[dict[str, list[str]], dict[tuple[str, str, str], Known]]:
    config = tomllib.loads(CONFIG.read_text())
    subsets = {name: list(entry["tests"]) for name, entry in config["files"].items()}
    known = {
        (k["file"], k["where"], k["change"]): Known(k["kind"], k["why"]) for k in config.get("known", [])
    }
    return subsets, known


def mutate_file(
    rel: str,
    tests: list[str],
    known: dict[tuple[str, str, str], Known],
    match: str | None,
    lines: tuple[int, int] | None,
    recheck: bool,
    use_coverage: bool,
    killed_before: set[tuple[str, str, str]],
    new_tests: set[str],
    results: list[FileResult],
    sample: int = 0,
    seed: int = 0,
) -> FileResult:
    path = ROOT / rel
    mutants = find_mutants(path)
    if match:
        mutants = [m for m in mutants if match in m.change or match in m.where]
    if lines:
        mutants = [m for m in mutants if lines[0] <= m.line <= lines[1]]
    if sample and sample < len(mutants):
        # A random sample (the same for the same seed) estimates the score of a large file.
        picked = set(random.Random(f"{rel}:{seed}").sample(range(len(mutants)), sample))
        mutants = [m for i, m in enumerate(mutants) if i in picked]
    result = FileResult(rel, mutants)
    results.append(result)  # the caller reports it even if the run is interrupted
    began = time.monotonic()
    # The coverage pass runs every test unmutated (and fails if one fails): its time, with
    # coverage's overhead, bounds a run; without coverage a plain run does.
    reach, baseline = reaching_tests(rel, tests) if use_coverage else (None, 0.0)
    if reach is None:
        status, baseline, why = run_tests(tests, None)
        if status != "passed":
            raise SystemExit(f"{rel}: its tests fail before any mutation: {why}")
    # An endless loop, not a long list of tests: the whole subset under coverage took `baseline`.
    timeout = 3 * baseline + 20
    everywhere = _importers(rel, tests, reach)
    subset = " ".join(tests)
    print(f"\n{rel}: {len(mutants)} mutants; tests {subset} ({baseline:.1f} s unmutated)", flush=True)
    with InPlace(path) as place, _timed(result, began):
        for i, mutant in enumerate(mutants, 1):
            classified = known.get(mutant.key) or known.get((mutant.file, mutant.where, "*"))
            if classified is not None and not recheck:
                mutant.status, mutant.note = classified.kind, classified.why
                continue
            if mutant.key in killed_before:
                mutant.status, mutant.note = "killed", "killed in the earlier run (--since)"
                print(",", end="" if i % 60 else "\n", flush=True)
                continue
            chosen = tests
            if reach is not None:
                chosen = _choose(mutant, reach, tests, everywhere)
                if not chosen:
                    mutant.status, mutant.note = "survived", "uncovered: no test reaches this line"
                    print("u", end="" if i % 60 else "\n", flush=True)
                    continue
            # The --new-tests last: a mutant they kill first is one the older tests all missed.
            chosen = [t for t in chosen if _file(t) not in new_tests] + [
                t for t in chosen if _file(t) in new_tests
            ]
            place.write(apply(place.original, mutant))
            outcome, mutant.seconds, why = run_tests(chosen, timeout)
            place.write(place.original)
            mutant.status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[outcome]
            if outcome == "failed":
                mutant.note = f"killed by {why[:200]}"
                mutant.only_new = _file(why) in new_tests
            if classified is not None:
                if mutant.status == "survived":
                    mutant.status, mutant.note = classified.kind, classified.why
                else:
                    mutant.note = f"listed as {classified.kind} but {mutant.status}: drop it from the list"
            mark = {"killed": ".", "timeout": "T", "survived": "S"}.get(mutant.status, "?")
            print(mark, end="" if i % 60 else "\n", flush=True)
    print()
    return result


@contextlib.contextmanager
def _timed(result: FileResult, began: float) -> Iterator[None]:
    try:
        yield
    finally:
        result.seconds = time.monotonic() - began


def report(results: list[FileResult], split: bool = False) -> None:
    print(
        f"\n{'file':38s} mutants killed timeout survived equiv wording  score   time"
        + ("  without new" if split else "")
    )
    print(f"{'':59s}(uncovered)")
    for r in results:
        score = "-" if r.score is None else f"{r.score:5.1f}%"
        print(
            f"{r.file:38s} {len(r.mutants):7d} {r.count('killed'):6d} {r.count('timeout'):7d} "
            f"{r.count('survived'):3d} ({r.uncovered:2d}) {r.count('equivalent'):5d} {r.count('wording'):7d} "
            f"{score:>6s} "
            f"{r.seconds / 60:5.1f}m"
            + (f"  {r.score_without_new:5.1f}%" if split and r.score_without_new is not None else "")
        )
    for r in results:
        if r.count("not run"):
            print(f"{r.file}: {r.count('not run')} mutants not run (interrupted); the score is of the others")
    for r in results:
        survivors = [m for m in r.mutants if m.status == "survived"]
        if survivors:
            print(f"\nsurvivors in {r.file}:")
            for m in survivors:
                print(f"  {m.file}:{m.line}  [{m.where}]  {m.change}{'  (uncovered)' if m.note else ''}")
        stale = [m for m in r.mutants if m.note.startswith("listed as")]
        for m in stale:
            print(f"  {m.file}:{m.line}  [{m.where}]  {m.change}: {m.note}")


def _save(target: Path | None, results: list[FileResult]) -> None:
    """Every mutant and its outcome as JSON (for --since, and to read the survivors later)."""
    if target is None:
        return
    target.write_text(
        json.dumps(
            [
                {**asdict(m), "start": None, "end": None, "replacement": None}
                for r in results
                for m in r.mutants
            ],
            indent=1,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", help="files to mutate (default: all in tools/mutation.toml)")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--match", help="only mutants whose change or function contains this text")
    parser.add_argument("--lines", help="only mutants on these lines, e.g. 120-140")
    parser.add_argument("--tests", nargs="+", help="run these tests instead of the file's subset")
    parser.add_argument(
        "--recheck-known", action="store_true", help="run the listed equivalent and wording ones too"
    )
    parser.add_argument(
        "--run-uncovered", action="store_true", help="run the tests on mutants of lines no test reaches too"
    )
    parser.add_argument(
        "--since",
        type=Path,
        help="the --json file of an earlier run: what it killed counts as killed without running "
        "(only after adding tests, with the same or larger subsets and the code unchanged)",
    )
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of N mutants per file")
    parser.add_argument("--seed", type=int, default=0, help="which sample (--sample)")
    parser.add_argument(
        "--new-tests",
        nargs="+",
        default=[],
        help="test files run last, and a second score without them (what they added)",
    )
    parser.add_argument("--json", type=Path, help="write every mutant and its outcome to this file")
    args = parser.parse_args(argv)

    # One run at a time in a checkout: a second one (even --list) would read the mutant now
    # on disk for the source, and its start (restore_leftovers) would put the original back
    # under the first run's feet, scoring that mutant as a survivor.
    lock = open(LOCK_FILE, "a")  # noqa: SIM115 - held until this process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(
            f"another tools/mutate.py run is going in {ROOT}: wait for it to end "
            "(or run this one in a copy of the checkout)"
        ) from None
    restore_leftovers()
    subsets, known = load_config()
    files = [str((Path.cwd() / f).resolve().relative_to(ROOT)) for f in args.files] or list(subsets)
    lines = tuple(int(x) for x in args.lines.split("-")) if args.lines else None
    if args.list:
        for rel in files:
            for m in find_mutants(ROOT / rel):
                label = known[m.key].kind if m.key in known else ""
                print(f"{m.file}:{m.line}  [{m.where}]  {m.change}  {label}")
        return 0
    missing = [f for f in files if f not in subsets and not args.tests]
    if missing:
        raise SystemExit(f"no test subset for {', '.join(missing)} in {CONFIG.relative_to(ROOT)}")
    killed_before: set[tuple[str, str, str]] = set()
    if args.since:
        killed_before = {
            (m["file"], m["where"], m["change"])
            for m in json.loads(args.since.read_text())
            if m["status"] in ("killed", "timeout")
        }
    signal.signal(signal.SIGTERM, _on_term)
    results: list[FileResult] = []
    began = time.monotonic()
    try:
        for rel in files:
            tests = args.tests or subsets[rel]
            mutate_file(
                rel,
                tests,
                known,
                args.match,
                lines,
                args.recheck_known,
                not args.run_uncovered,
                killed_before,
                set(args.new_tests),
                results,
                args.sample,
                args.seed,
            )
    except (KeyboardInterrupt, Interrupted):
        print("\ninterrupted: every file is back as it was", file=sys.stderr)
        report(results, bool(args.new_tests))
        _save(args.json, results)
        return 130
    report(results, bool(args.new_tests))
    _save(args.json, results)
    print(f"\ntotal time {(time.monotonic() - began) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
