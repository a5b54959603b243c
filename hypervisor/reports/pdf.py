"""Reports as PDF through Qt's own text layout (``QTextDocument``) and ``QPdfWriter``: HTML in, A4 out."""

from __future__ import annotations

import html
import math
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #1b1f24; }
h1 { font-size: 17pt; color: #14324f; margin-top: 0; }
h2 { font-size: 12pt; color: #14324f; margin-top: 14px; }
table.data { border-collapse: collapse; margin-top: 4px; }
table.data th { font-size: 8pt; background: #dfe7ef; text-align: left; padding: 3px 5px; }
table.data td { font-size: 8pt; padding: 2px 5px; border-bottom: 1px solid #d5dbe1; }
p.note { color: #4a5561; font-size: 8pt; }
p.ok { color: #1d6b2f; font-weight: bold; font-size: 12pt; }
p.bad { color: #a4161a; font-weight: bold; font-size: 12pt; }
"""

def ensure_application(lang: str) -> str:
    """A QApplication for drawing offscreen (no display needed), in ``lang``; returns the language used."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from hypervisor.app import install_translation

    app = QApplication.instance() or QApplication(["hypervisor-report"])
    return install_translation(app, lang)  # type: ignore[arg-type]


class Report:
    """An HTML body with embedded images, written as one A4 PDF; sections start on a new page."""

    def __init__(self, title: str, zone: str) -> None:
        self.title = title
        self.zone = ZoneInfo(zone)
        self.parts: list[str] = []
        self.images: dict[str, QImage] = {}

    def time(self, ts_ms: float | None, seconds: bool = True) -> str:
        if ts_ms is None or math.isnan(ts_ms):
            return "—"
        moment = datetime.fromtimestamp(float(ts_ms) / 1000, self.zone)
        # A no-break space keeps date and time on one line in narrow table columns.
        return moment.strftime("%Y-%m-%d\u00a0%H:%M:%S" if seconds else "%Y-%m-%d\u00a0%H:%M")

    def section(self, title: str, new_page: bool = True) -> None:
        style = ' style="page-break-before: always"' if new_page and self.parts else ""
        self.parts.append(f"<h1{style}>{html.escape(title)}</h1>")

    def heading(self, title: str) -> None:
        self.parts.append(f"<h2>{html.escape(title)}</h2>")

    def paragraph(self, text: str, css: str = "") -> None:
        klass = f' class="{css}"' if css else ""
        body = "<br/>".join(html.escape(line) for line in text.splitlines())
        self.parts.append(f"<p{klass}>{body}</p>")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """A table whose cells stay on one line, except the last column's (comments, long values)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        last = len(headers) - 1
        cells = ["<td>", '<td style="white-space: pre">']
        body = "".join("<tr>" + "".join(f"{cells[i != last]}{html.escape(_text(v))}</td>"
                                        for i, v in enumerate(row)) + "</tr>" for row in rows)
        self.parts.append(f'<table class="data"><tr>{head}</tr>{body}</table>')

    def image(self, name: str, image: QImage, width: int = 680) -> None:
        self.images[name] = image
        self.parts.append(f'<p><img src="report:{name}" width="{width}"/></p>')

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = QPdfWriter(str(path))
        document = QTextDocument()
        document.setDefaultStyleSheet(STYLE)
        for name, image in self.images.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"report:{name}"), image)
        document.setHtml(f"<html><head><title>{html.escape(self.title)}</title></head><body>"
                         + "".join(self.parts) + "</body></html>")
        writer.setTitle(self.title)
        writer.setCreator("hypervisor")
        writer.setResolution(96)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
        # Lay the text out with the PDF's own font metrics, or cells measured on screen wrap on paper.
        document.documentLayout().setPaintDevice(writer)
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        document.setPageSize(QSizeF(rect.width(), rect.height()))
        document.print_(writer)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{value:.1f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)
