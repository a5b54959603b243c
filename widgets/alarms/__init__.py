"""The alarm list of the operator console: rows, table model, filtering, flood grouping and panel."""

from widgets.alarms.dialogs import CommentDialog, ShelveDialog
from widgets.alarms.filter import AlarmFilterProxy
from widgets.alarms.grouping import AlarmGroup, AlarmGroupModel, Grouping, group_alarms
from widgets.alarms.model import ROW_ROLE, AlarmTableModel, Column
from widgets.alarms.row import PRIORITIES, STATES, AlarmRow, priority_rank
from widgets.alarms.view import AlarmPanel

__all__ = [
    "PRIORITIES",
    "ROW_ROLE",
    "STATES",
    "AlarmFilterProxy",
    "AlarmGroup",
    "AlarmGroupModel",
    "AlarmPanel",
    "AlarmRow",
    "AlarmTableModel",
    "Column",
    "CommentDialog",
    "Grouping",
    "ShelveDialog",
    "group_alarms",
    "priority_rank",
]
