"""Rules of the code's shape, checked: a breach fails the suite, so the layering never erodes."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "companion" / "core"


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
