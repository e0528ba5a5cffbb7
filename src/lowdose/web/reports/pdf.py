"""HTML templates to PDF with WeasyPrint: the same templates serve the web page and the document."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render ``template`` with ``context`` (plus ``pdf=True``) and lay it out as PDF.

    ``stylesheets`` are paths under the static folder, e.g. ``"lowdose/report.css"``: the web
    page links the same files.
    """
    from weasyprint import CSS, HTML  # imported late: it loads Pango, which only PDFs need

    html = render_to_string(template, {**context, "pdf": True})
    static = settings.BASE_DIR / "static"
    sheets = [CSS(filename=str(static / name)) for name in stylesheets]
    return HTML(string=html, base_url=str(static)).write_pdf(stylesheets=sheets)


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
