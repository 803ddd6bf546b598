"""Regenerate ``sparkplug_b_pb2.py`` and its ``.pyi`` from ``sparkplug_b.proto`` (Eclipse Tahu's).

    python -m venv /tmp/protoc && /tmp/protoc/bin/pip install grpcio-tools
    /tmp/protoc/bin/python connectors/sparkplug/regenerate.py

The generated module checks the protobuf runtime's version: keep ``protobuf`` in ``pyproject.toml`` on
the major version of the protoc that grpcio-tools bundles (the header of ``sparkplug_b_pb2.py`` says it).
"""

from __future__ import annotations

from pathlib import Path

if __name__ == "__main__":
    from grpc_tools import protoc

    here = Path(__file__).resolve().parent
    args = [
        "protoc",
        f"-I{here}",
        f"--python_out={here}",
        f"--pyi_out={here}",
        str(here / "sparkplug_b.proto"),
    ]
    raise SystemExit(protoc.main(args))
