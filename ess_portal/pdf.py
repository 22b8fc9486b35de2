"""PDF rendering (WeasyPrint): a Django template rendered to HTML, then laid out as a tagged A4 PDF.

Called from background jobs only (a council dossier takes seconds). Static files referenced by the
template (`{% static %}`) are read from disk, never fetched over the network.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _url_fetcher(url: str, *args, **kwargs):
    """Serve `/static/…` URLs from the static files finders; refuse anything else (no network access)."""
    import weasyprint

    static_url = settings.STATIC_URL or "/static/"
    path = url.removeprefix("file://")
    if path.startswith(static_url):
        found = finders.find(path.removeprefix(static_url))
        if found:
            return weasyprint.default_url_fetcher(Path(found).as_uri(), *args, **kwargs)
    raise ValueError(f"Ressource refusée dans un PDF : {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` and return the PDF bytes (PDF/UA-1: tagged, with a structure tree)."""
    import weasyprint  # heavy import, only in the processes that render

    html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url="/", url_fetcher=_url_fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
