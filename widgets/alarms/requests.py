"""What an operator asks of the selected or visible alarms: each request names the alarms it acts on
(and asks for a comment, a shelving reason or a confirmation first where ISA-18.2 wants one)."""

from __future__ import annotations

from PySide6.QtCore import Qt, SignalInstance

from widgets.alarms.dialogs import CommentDialog, ResetDialog, ShelveDialog
from widgets.alarms.row import AlarmRow


class OperatorRequests:
    """The alarm panel's requests, on the rows of its ``selected_rows()`` and ``visible_rows()``; the panel
    declares the signals, the console sends the commands."""

    ackRequested: SignalInstance
    shelveRequested: SignalInstance
    unshelveRequested: SignalInstance
    resetRequested: SignalInstance
    commentRequested: SignalInstance

    def acknowledge(self) -> None:
        """Ask to acknowledge the selected alarms that wait for it."""
        self._request_ack(self.selected_rows())

    def acknowledge_visible(self) -> None:
        """Ask to acknowledge every visible alarm that waits for it."""
        self._request_ack(self.visible_rows())

    def _request_ack(self, rows: list[AlarmRow]) -> None:
        ids = [row.alarm_id for row in rows if row.is_unacked]
        if ids:
            self.ackRequested.emit(ids)

    def comment(self) -> None:
        """Ask for a comment on the selected alarms."""
        rows = self.selected_rows()
        ids = [row.alarm_id for row in rows]
        if not ids:
            return
        dialog = CommentDialog([row.name() for row in rows], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.commentRequested.emit(ids, dialog.text()))
        dialog.open()

    def shelve(self) -> None:
        """Ask for a reason and duration, then to shelve the selected alarms."""
        rows = self.selected_rows()
        ids = [row.alarm_id for row in rows]
        if not ids:
            return
        dialog = ShelveDialog([row.name() for row in rows], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.shelveRequested.emit(ids, dialog.reason(), dialog.minutes()))
        dialog.open()

    def unshelve(self) -> None:
        """Ask to return the selected shelved alarms to the list."""
        ids = [row.alarm_id for row in self.selected_rows() if row.state == "shelved"]
        if ids:
            self.unshelveRequested.emit(ids)

    def reset(self) -> None:
        """Ask, naming them, to reset the selected latched alarms whose condition cleared."""
        rows = [row for row in self.selected_rows() if row.can_reset]
        if not rows:
            return
        ids = [row.alarm_id for row in rows]
        dialog = ResetDialog([row.name() for row in rows], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.resetRequested.emit(ids))
        dialog.open()
