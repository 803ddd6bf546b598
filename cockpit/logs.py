"""Logging to the console and to a rotating file in the user's log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from cockpit.config import Config, user_log_dir

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(
    config: Config, *, to_file: bool = True, log_dir: Path | None = None, file_name: str = "cockpit.log"
) -> Path | None:
    """Configure the root logger once; returns the log file's path (None without a file)."""
    root = logging.getLogger()
    root.setLevel(config.logging.level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_cockpit", False):
            root.removeHandler(handler)
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter(FORMAT))
    console._cockpit = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if not to_file:
        return None
    folder = log_dir or user_log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name
        handler = logging.handlers.RotatingFileHandler(
            path,
            maxBytes=config.logging.file_max_mb * 1024 * 1024,
            backupCount=config.logging.file_count,
            encoding="utf-8",
        )
    except OSError as exc:
        logging.getLogger(__name__).warning(
            "no log file in %s (%s); logging to the console only", folder, exc
        )
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._cockpit = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
