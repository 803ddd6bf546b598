"""Words a user reads must reach the translation catalogue: checks on the code itself, no Qt.

pyside6-lupdate does not look inside an f-string: `f"<h3>{self.tr('Certificates')}</h3>"` is never
extracted, so the Chinese screen shows the English word and `update.py --check` cannot notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cockpit", "connectors", "models", "views", "widgets")
# tr(), self.tr(), QCoreApplication.translate(), the NOOP markers and any local helper so named
TRANSLATING = {"tr", "_tr", "translate", "_translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def translated_literals_in_fstrings(source: str) -> list[tuple[int, str]]:
    """(line, call) of every translating call with a literal text inside an f-string."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Call)
                and _called_name(sub.func) in TRANSLATING
                and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in sub.args)
            ):
                found.add((sub.lineno, ast.unparse(sub)))
    return sorted(found)


def _project_files() -> list[Path]:
    files = [ROOT / "main.py"]
    for package in PACKAGES:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return files


def test_the_check_finds_a_literal_translated_inside_an_f_string() -> None:
    source = (
        "def f(self, n):\n"
        "    a = f\"<h3>{escape(self.tr('Certificates'))}</h3>\"\n"
        "    b = f\"{QCoreApplication.translate('Ctx', 'none')}\"\n"
        "    c = f\"{tr('x')} {n}\"\n"
        '    ok = self.tr("Workers ({n})").format(n=n)\n'
        '    ok2 = f"{escape(ok)} {self.tr(TABLE[n])}"\n'
    )
    lines = [line for line, _ in translated_literals_in_fstrings(source)]
    assert lines == [2, 3, 4]


def test_no_literal_text_is_translated_inside_an_f_string() -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in _project_files()
        for line, call in translated_literals_in_fstrings(path.read_text(encoding="utf-8"))
    ]
    assert not hits, (
        "lupdate does not extract these (translate into a variable outside the f-string):\n" + "\n".join(hits)
    )
