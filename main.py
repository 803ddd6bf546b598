"""High-risk operations cockpit (高危作业驾驶舱): `python main.py --help`."""

from __future__ import annotations

import sys


def _need_display() -> None:
    import os

    from cockpit.cli import display_problem
    from models.errors import UserError

    problem = display_problem(os.environ)
    if problem is not None:
        raise UserError(problem)


def _gui(args, config) -> int:  # type: ignore[no-untyped-def]
    _need_display()
    from views.shell import run_gui

    return run_gui(args, config)


def _self_test(args, config) -> int:  # type: ignore[no-untyped-def]
    # no display check: the self-test chooses the offscreen platform itself and says so in its report
    from views.selftest import run_self_test

    return run_self_test(args, config)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the bundle's field link process starts through this executable
    from cockpit.cli import main

    sys.exit(main(sys.argv[1:], _gui, _self_test))
