"""The approval queue's key-step photos, fetched on a worker of their own.

The queue's marks read what is known of each required photo without the network
(``PermitService.queue_photo_marks``); a photo never fetched is fetched here, on a worker that is
neither the approval screen's (its decisions never wait behind a slow file store) nor the permit
detail's, and the marks are read again once something became known.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from cockpit.permit_service import PermitService
from views.offgui import OffGui


class QueuePhotoCheck(QObject):
    known = Signal()  # photos were fetched whose outcome the marks can now show

    def __init__(
        self, service: PermitService, parent: QObject | None = None, *, on_known: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._offgui = OffGui(self, name="approval-photos")
        self.known.connect(on_known)

    def check(self, permit_ids: list[str]) -> None:
        """Fetch the required photos of ``permit_ids`` not fetched before (one round at a time)."""
        if self._offgui.busy or not permit_ids:
            return
        ids = list(permit_ids)
        self._offgui.run(lambda: self._service.check_queue_photos(ids), self._done)

    def _done(self, count: int) -> None:
        if count:
            self.known.emit()

    def wait(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)
