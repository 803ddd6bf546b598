"""Errors a user can cause and fix: the command line prints them as one line.

It lives in the lowest layer so that connectors (a bad database URL, an
unreachable broker) and the core can raise it alike.
"""


class UserError(Exception):
    """A problem the user can fix; ``str(exc)`` is one readable line saying what and how.

    The command line prints it and exits with code 2; the GUI shows it in a message box.
    """

    exit_code = 2
