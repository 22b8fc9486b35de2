"""The council dossiers in PDF, produced by background jobs on the "reports" queue.

- `council_application_dossier` (parameters: `application_id`): the « rapport de présentation » of one application;
- `council_session_dossier` (parameters: `session_id`): the dossier of a sitting (cover, note explicative de
  synthèse, table of contents, list of grants, one report per application, totals by budget line and section).

Registered when the funding app is ready (funding/apps.py). The handlers only read the database: running one
twice gives the same file.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db.models import Count, Max, Q, Sum
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from ess_portal.jobs.services import request_job
from ess_portal.pdf import render_pdf
from funding.compliance import check_de_minimis, is_convention_required
from funding.enums import ApplicationStatus, FinancingSide
from funding.models import Application, CouncilSession, Decision

APPLICATION_TEMPLATE = "funding/pdf/application_dossier.html"
SESSION_TEMPLATE = "funding/pdf/session_dossier.html"


def _dossier_applications(session):
    """The applications of a sitting's dossier: those proposed to it, and those it already decided."""
    return (
        Application.objects.filter(council_session=session)
        .filter(Q(status=ApplicationStatus.PROPOSED) | Q(decision__isnull=False))
        .select_related("actor", "scheme", "scheme__budget_line")
        .order_by("scheme__budget_line__section", "scheme__budget_line__position", "actor__name", "pk")
    )


def _fingerprint(applications) -> str:
    """A digest of what the dossier shows of these applications: it changes whenever one of them changes."""
    rows = applications.order_by("pk").values_list(
        "pk", "title", "summary", "status", "requested_amount", "proposed_amount", "opinion", "council_session_id"
    )
    rows = rows.annotate(
        last_step=Max("transitions__at"),
        lines=Count("financing_lines", distinct=True),
        lines_total=Sum("financing_lines__amount"),
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]


# --- Requests (called by funding/views/dossiers.py) ---


def request_application_dossier(*, application: Application, by):
    """One job per requester and per state of the application: asking again for an unchanged dossier gives
    back the same job (and file)."""
    version = _fingerprint(Application.objects.filter(pk=application.pk))
    return request_job(
        kind=JobKind.COUNCIL_APPLICATION_DOSSIER,
        parameters={"application_id": application.pk},
        requested_by=by,
        idempotency_key=f"council_application_dossier:{application.pk}:{by.pk}:{version}",
    )


def request_session_dossier(*, session: CouncilSession, by):
    version = _fingerprint(_dossier_applications(session))
    version = hashlib.sha256(f"{session.title}|{session.sits_on}|{version}".encode()).hexdigest()[:16]
    return request_job(
        kind=JobKind.COUNCIL_SESSION_DOSSIER,
        parameters={"session_id": session.pk},
        requested_by=by,
        idempotency_key=f"council_session_dossier:{session.pk}:{by.pk}:{version}",
    )


# --- Contexts ---


def application_context(application: Application) -> dict:
    """Everything the « rapport de présentation » of one application shows."""
    actor = application.actor
    lines = list(application.financing_lines.select_related("partner"))
    amount = application.proposed_amount if application.proposed_amount is not None else application.requested_amount
    on = application.council_session.sits_on if application.council_session_id else timezone.localdate()
    previous_aids = (
        Decision.objects.filter(application__actor_id=actor.pk)
        .exclude(application_id=application.pk)
        .select_related("application", "application__scheme", "council_session")
        .order_by("-decided_on", "pk")
    )
    return {
        "application": application,
        "actor": actor,
        "agrements": list(actor.agrements.all()),
        "communes": list(application.communes.all()),
        "expenses": [line for line in lines if line.side == FinancingSide.EXPENSE],
        "resources": [line for line in lines if line.side == FinancingSide.RESOURCE],
        "totals": application.financing_totals(),
        "amount": amount,
        "budget_line": application.scheme.budget_line if application.scheme_id else None,
        "de_minimis": check_de_minimis(application=application, amount=amount, on=on),
        "convention_required": is_convention_required(amount),
        "previous_aids": list(previous_aids),
        "decision": Decision.objects.filter(application_id=application.pk).first(),
    }


def _load_application(pk) -> Application:
    application = (
        Application.objects.select_related(
            "actor",
            "actor__commune",
            "scheme",
            "scheme__budget_line",
            "filiere",
            "segment",
            "plan_action",
            "instructor",
            "council_session",
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise JobFailed("Cette demande de subvention n’existe plus : le rapport ne peut pas être produit.")
    return application


def session_context(session: CouncilSession, *, progress=None) -> dict:
    applications = list(_dossier_applications(session))
    sections = []
    for n, application in enumerate(applications, start=1):
        sections.append(application_context(_load_application(application.pk)) | {"number": n})
        if progress and n % 5 == 0:
            progress(10 + int(70 * n / len(applications)), f"Rapport {n} sur {len(applications)}")
    in_dossier = Application.objects.filter(pk__in=[a.pk for a in applications])
    by_line = (
        in_dossier.values(
            "scheme__budget_line__code",
            "scheme__budget_line__label",
            "scheme__budget_line__section",
            "scheme__budget_line__year",
        )
        .annotate(count=Count("pk"), proposed=Sum("proposed_amount"), granted=Sum("decision__granted_amount"))
        .order_by("scheme__budget_line__section", "scheme__budget_line__code")
    )
    by_section = (
        in_dossier.values("scheme__budget_line__section")
        .annotate(count=Count("pk"), proposed=Sum("proposed_amount"), granted=Sum("decision__granted_amount"))
        .order_by("scheme__budget_line__section")
    )
    total = in_dossier.aggregate(count=Count("pk"), proposed=Sum("proposed_amount"))
    return {
        "session": session,
        "sections": sections,
        "by_line": list(by_line),
        "by_section": list(by_section),
        "total": total,
        "generated_on": timezone.localdate(),
    }


# --- Handlers ---


def _render(template_name: str, context: dict) -> bytes:
    try:
        return render_pdf(template_name, context)
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        raise JobFailed(
            "Le modèle du document est introuvable ou invalide : le PDF n’a pas pu être produit. "
            "L’équipe technique doit corriger le modèle ; vous pourrez ensuite relancer la tâche."
        ) from error


@register(JobKind.COUNCIL_APPLICATION_DOSSIER, queue="reports")
def build_application_dossier(job) -> ContentFile:
    application = _load_application(job.parameters.get("application_id"))
    job.set_progress(20, "Rassemblement des données de la demande")
    context = application_context(application) | {"generated_on": timezone.localdate(), "standalone": True}
    job.set_progress(50, "Mise en page du rapport de présentation")
    pdf = _render(APPLICATION_TEMPLATE, context)
    return ContentFile(pdf, name=f"rapport-presentation-demande-{application.pk}.pdf")


@register(JobKind.COUNCIL_SESSION_DOSSIER, queue="reports")
def build_session_dossier(job) -> ContentFile:
    session = CouncilSession.objects.filter(pk=job.parameters.get("session_id")).first()
    if session is None:
        raise JobFailed("Cette séance du conseil n’existe plus : le dossier ne peut pas être produit.")
    job.set_progress(10, "Rassemblement des demandes de la séance")
    context = session_context(session, progress=job.set_progress)
    job.set_progress(80, "Mise en page du dossier de séance")
    pdf = _render(SESSION_TEMPLATE, context)
    return ContentFile(pdf, name=f"dossier-seance-{session.sits_on:%Y-%m-%d}.pdf")
