"""Refresh the translation sources from the code and compile them (`make translations`).

    python resources/translations/update.py          # update cockpit_zh_CN.ts, compile cockpit_zh_CN.qm
    python resources/translations/update.py --check  # exit 1 if a string in the code has no translation

The .ts file is the source of truth for the Chinese texts (edit it with `pyside6-linguist`, or
by hand); lupdate keeps existing translations and marks new strings unfinished.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGS = ("zh_CN",)
SOURCES = ("views", "widgets", "models/rules")


def tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials (make setup)")
    return path


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for d in SOURCES for p in (ROOT / d).glob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            tr = message.find("translation")
            if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                continue
            texts = [tr.text or ""] if tr is not None else [""]
            if tr is not None and message.get("numerus") == "yes":
                texts = [form.text or "" for form in tr.iter("numerusform")] or [""]
            if tr is None or tr.get("type") == "unfinished" or not all(t.strip() for t in texts):
                out.append((name, message.findtext("source", "")))
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    missing_total = 0
    for lang in LANGS:
        ts = HERE / f"cockpit_{lang}.ts"
        if check:
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / ts.name
                if ts.exists():
                    shutil.copy(ts, copy)
                lupdate(copy)
                missing = unfinished(copy)
        else:
            lupdate(ts)
            missing = unfinished(ts)
            subprocess.run(
                [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                check=True,
                capture_output=True,
            )
        for context, source in missing:
            print(f"{lang}: untranslated [{context}] {source!r}")
        missing_total += len(missing)
    return 1 if check and missing_total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
