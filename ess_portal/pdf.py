"""PDF rendering (WeasyPrint): a Django template rendered to HTML, then laid out as a tagged A4 PDF.

Called from background jobs only (a council dossier takes seconds). Static files referenced by the
template (`{% static %}`) are read from disk, never fetched over the network.

PDF templates are rendered strictly: Django normally prints an undefined variable as an empty string, which
in a council document means a blank where an amount or a name should be. Here a variable that does not exist
(`{{ session.titel }}`, `{{ decision.number }}` when there is no decision) makes the rendering fail with
`MissingTemplateVariable`, a `JobFailed` whose French message names the template, the line and the variable,
so the job fails visibly and can be retried once the template or its context is fixed. `{% if %}`, `{% for %}`
and `{% firstof %}` still treat a missing variable as false/empty; a value that may be empty must be given to
the template (as `None` or `""`) and shown with `|default:"—"`.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Engine, engines

from ess_portal.jobs.registry import JobFailed


class MissingTemplateVariable(JobFailed):
    """A PDF template used a variable its context does not hold."""


class _UndefinedVariable(Exception):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class _RaiseOnUndefined(str):
    """`string_if_invalid` of the PDF engine: Django formats it with the variable's name (`"%s" in` it is
    true), and the formatting raises instead of returning a blank."""

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, variable):
        raise _UndefinedVariable(str(variable))

    def __bool__(self):
        return True


@cache
def pdf_engine() -> Engine:
    """A template engine like the site's (same directories, template tags), strict about undefined variables.

    `debug=True` only records where a rendering error happened (template and line) for the error message.
    """
    site = engines["django"].engine
    loaders = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    if not settings.DEBUG:
        loaders = [("django.template.loaders.cached.Loader", loaders)]
    return Engine(
        dirs=site.dirs,
        loaders=loaders,
        debug=True,
        string_if_invalid=_RaiseOnUndefined(),
        libraries=site.libraries,
        builtins=[name for name in site.builtins if name not in Engine.default_builtins],
        autoescape=site.autoescape,
    )


def render_pdf_html(template_name: str, context: dict) -> str:
    """The HTML of a PDF template, rendered strictly (raises `MissingTemplateVariable`)."""
    try:
        return pdf_engine().get_template(template_name).render(Context(context))
    except _UndefinedVariable as error:
        where = getattr(error, "template_debug", None) or {}
        # The template's path under a templates directory (an include's own name), not the absolute file path.
        template = (where.get("name") or template_name).rpartition("/templates/")[2]
        line = f" (ligne {where['line']})" if where.get("line") else ""
        raise MissingTemplateVariable(
            f"Le modèle « {template} »{line} utilise une donnée absente : {error.name}. Le document n’a pas pu "
            "être produit ; l’équipe technique doit corriger le modèle, vous pourrez ensuite relancer la tâche."
        ) from error


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

    html = render_pdf_html(template_name, context)
    document = weasyprint.HTML(string=html, base_url="/", url_fetcher=_url_fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
