"""Many polylines as one QPainterPath, built from numpy in one step.

A Python loop of ``lineTo`` calls takes seconds for a city's streets; Qt reads a path from its binary
form (``QDataStream``: a count, then per point a kind, x and y, then the current subpath's start and the
fill rule, big-endian) in milliseconds.
"""

from __future__ import annotations

import struct

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream
from PySide6.QtGui import QPainterPath

_MOVE_TO, _LINE_TO = 0, 1
_ELEMENT = np.dtype([("kind", ">i4"), ("x", ">f8"), ("y", ">f8")])


def polylines_path(xy: np.ndarray) -> QPainterPath:
    """The polylines of an N x 2 array whose rows of NaN separate one line from the next (odd-even fill)."""
    finite = np.isfinite(xy).all(axis=1)
    points = xy[finite]
    path = QPainterPath()
    if not len(points):
        return path
    after_gap = np.concatenate(([True], ~finite[:-1]))[finite]
    elements = np.empty(len(points), dtype=_ELEMENT)
    elements["kind"] = np.where(after_gap, _MOVE_TO, _LINE_TO)
    elements["x"], elements["y"] = points[:, 0], points[:, 1]
    last_start = int(np.flatnonzero(after_gap)[-1])
    data = struct.pack(">i", len(points)) + elements.tobytes() + struct.pack(">ii", last_start, 0)
    stream = QDataStream(QByteArray(data))
    stream >> path
    return path
