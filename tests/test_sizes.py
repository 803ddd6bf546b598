"""Size rules: no class over 500 lines, no function over 80 (outside the migrations and the demo seed),
no file of the program's packages (cockpit/, connectors/, models/, views/, widgets/) over 600 lines
(issue 15 for cockpit/; the others since the split of the schema, the site map, the view model and the
main window).

An offender kept on purpose would be listed below; the list may only shrink: an entry that is no longer an
offender fails too, so whoever fixes one also deletes its line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "connectors", "cockpit", "widgets", "views", "bench", "tests", "resources")
MAX_CLASS, MAX_FUNCTION, MAX_FILE = 500, 80, 600
FILE_RULE = ("cockpit/", "connectors/", "models/", "views/", "widgets/")
NO_FUNCTION_LIMIT = ("models/migrations/", "cockpit/demo_seed.py")  # generated or data written as code

# (kind, "path:name") -> its lines, for an offender kept on purpose. An entry that no longer exceeds a
# limit fails the test, so the list only shrinks. Empty since the decoder and the alarm engine were
# split along their seams (connectors/contract_*.py and *_fields.py; models/alarm_entries.py).
ALLOWED: dict[tuple[str, str], int] = {}


def _python_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))
    yield ROOT / "main.py"


def _length(node: ast.AST) -> int:
    """Lines from the first decorator (or the def) to the last line of the body."""
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])  # type: ignore[attr-defined]
    end: int = node.end_lineno  # type: ignore[attr-defined]
    return end - start + 1


def _defs(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, str, int]]:
    """(kind, qualified name, lines) of every class and function, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            yield "class", prefix + node.name, _length(node)
            yield from _defs(node, prefix + node.name + ".")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield "function", prefix + node.name, _length(node)
            yield from _defs(node, prefix + node.name + ".")
        else:
            yield from _defs(node, prefix)


def offenders() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel.startswith(FILE_RULE) and len(text.splitlines()) > MAX_FILE:
            found["file", rel] = len(text.splitlines())
        limits = {"class": MAX_CLASS, "function": MAX_FUNCTION}
        if rel.startswith(NO_FUNCTION_LIMIT):
            del limits["function"]
        for kind, name, lines in _defs(ast.parse(text, rel)):
            if kind in limits and lines > limits[kind]:
                found[kind, f"{rel}:{name}"] = lines
    return found


def test_no_class_function_or_file_grows_past_its_limit() -> None:
    new = {key: lines for key, lines in offenders().items() if key not in ALLOWED}
    assert not new, (
        f"over the limit (class {MAX_CLASS}, function {MAX_FUNCTION}, file in {', '.join(FILE_RULE)} "
        f"{MAX_FILE} lines): {new}; split it along its seams"
    )


def test_the_allowlist_only_holds_what_still_exceeds_a_limit() -> None:
    fixed = sorted(set(ALLOWED) - set(offenders()))
    assert not fixed, f"no longer over the limit, delete from ALLOWED in tests/test_sizes.py: {fixed}"
