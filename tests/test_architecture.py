"""Rules of the code's shape, checked: a breach fails the suite, so the layering never erodes."""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "companion" / "core"
BIN = Path(sys.executable).parent
MYPY_CACHE = Path(tempfile.gettempdir()) / "companion-mypy-cache"
"""Outside the checkout (CI clones afresh; a developer's runs reuse it)."""


def _front_end_words(tree: ast.AST) -> list[str]:
    """Field names in the core that are a front end's words: a CLI option ('--at') or argument
    ('FILE'), or a form's label ('When'), as the first argument of InputError or as the default
    of a parameter named ``field``."""
    found: list[str] = []

    def check(node: ast.expr | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            name = node.value
            if name.startswith("-") or name[:1].isupper():
                found.append(name)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError" and node.args:
            check(node.args[0])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = node.args.posonlyargs + node.args.args
            defaults = dict(zip(positional[::-1], node.args.defaults[::-1], strict=False))
            defaults.update(zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True))
            for arg, default in defaults.items():
                if arg.arg.endswith("field"):
                    check(default)
    return found


def test_the_core_names_refused_values_by_their_record_keys() -> None:
    """Each front end says the name its own way (the CLI maps a key to its option once, a form
    finds the field whose id is the key); the core never speaks one front end's language."""
    offenders = {
        path.name: words
        for path in sorted(CORE.glob("*.py"))
        if (words := _front_end_words(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_layers_keep_to_their_contracts() -> None:
    """pyproject.toml's import-linter contracts: the core imports no Textual, TinyDB, store or
    front end; the store and the exports no front end; the app not the CLI; the CLI Textual
    only to open the app."""
    _passes([str(BIN / "lint-imports"), "--no-cache"])


def test_the_whole_package_type_checks_strictly() -> None:
    """mypy --strict (pyproject.toml) over companion/, not only the core."""
    _passes([sys.executable, "-m", "mypy", "--cache-dir", str(MYPY_CACHE)])


def _passes(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_every_command_names_a_handler_that_exists() -> None:
    """Handlers are imported when their command runs: a misspelt one would only show then."""
    import argparse
    import importlib

    from companion.cli.parser import build_parser

    def leaves(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subparsers:
            return [parser]
        return [leaf for sub in subparsers for child in sub.choices.values() for leaf in leaves(child)]

    paths = [getattr(leaf.get_default("handler"), "handler_path", None) for leaf in leaves(build_parser())]
    assert len(paths) >= 25 and all(paths), paths
    for path in paths:
        module, name = path.split(":")
        assert callable(getattr(importlib.import_module(f"companion.cli.{module}"), name, None)), path
