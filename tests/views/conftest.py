"""View tests: the live-cockpit fixtures of ``tests.views.live_plant``.

A broker per module, a core, a database and a topic root per test.
"""

from tests.views.live_plant import broker, live, live_empty, live_propose, themed_app

__all__ = ["broker", "live", "live_empty", "live_propose", "themed_app"]
