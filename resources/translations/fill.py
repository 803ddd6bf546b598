"""Fill unfinished messages of cockpit_zh_CN.ts from zh_CN_glossary.py (never overwrites a translation)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from zh_CN_glossary import TR  # noqa: E402


def main() -> int:
    ts = HERE / "cockpit_zh_CN.ts"
    tree = ET.parse(ts)
    filled = missing = 0
    for message in tree.getroot().iter("message"):
        tr = message.find("translation")
        if tr is None or tr.get("type") != "unfinished":
            continue
        source = message.findtext("source", "")
        if source in TR:
            if message.get("numerus") == "yes":
                for form in list(tr):
                    tr.remove(form)
                ET.SubElement(tr, "numerusform").text = TR[source]
            else:
                tr.text = TR[source]
            del tr.attrib["type"]
            filled += 1
        else:
            missing += 1
            print(f"no Chinese for: {source!r}")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled}, still missing {missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
