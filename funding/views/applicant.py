"""The applicant's side: the application in six steps (each saved as a draft), « Mes dossiers », the page
of one application (timeline, information requests, withdrawal, final report) and the document download.

Every application is read through `Application.objects.of_user(user)`: another structure's id is a 404.
Each step is saved in one transaction; uploads go through `funding.documents.DocumentBatch`, so a refused
file leaves neither a file nor a row.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.enums import Role
from ess_portal.formatting import format_euros
from ess_portal.views import role_required
from funding import services
from funding.documents import DocumentBatch
from funding.enums import ApplicationStatus, DocumentKind
from funding.forms import (
    ApplicationProjectForm,
    ApplicationStartForm,
    DeclaredAidFormSet,
    DocumentsStepForm,
    FinalReportForm,
    InformationAnswerForm,
    RequestedAmountForm,
    WithdrawForm,
    financing_formsets,
)
from funding.models import Application, ApplicationTransition, Document, InformationRequest, SupportScheme
from funding.permissions import can_withdraw_application
from funding.workflow import EDITABLE_BY_APPLICANT

APPLICATIONS_PER_PAGE = 50
STEPS = [
    (1, "Structure et dispositif"),
    (2, "Projet"),
    (3, "Plan de financement"),
    (4, "Montant et aides déclarées"),
    (5, "Pièces justificatives"),
    (6, "Récapitulatif et dépôt"),
]
LAST_STEP = len(STEPS)
# The final report is expected once the agreement is signed.
FINAL_REPORT_STATUSES = (ApplicationStatus.AGREEMENT_SIGNED, ApplicationStatus.PAID)


def _own_applications(user):
    return Application.objects.of_user(user)


def _get_own_application(request, pk, *, queryset=None):
    if queryset is None:
        queryset = _own_applications(request.user)
    return get_object_or_404(queryset.select_related("actor", "scheme"), pk=pk)


def _get_draft(request, pk):
    """The user's application, only while it can still be edited (else back to its page with a message)."""
    application = _get_own_application(request, pk)
    if application.status not in EDITABLE_BY_APPLICANT:
        messages.info(request, "Cette demande est déposée : elle ne peut plus être modifiée.")
        return application, redirect("funding:applicant_application_detail", pk=application.pk)
    return application, None


def _step_url(application, step: int) -> str:
    return reverse("funding:application_step", kwargs={"pk": application.pk, "step": step})


def _after_save(request, application, step: int):
    """« Enregistrer et continuer » goes to the next step, « Enregistrer le brouillon » stays."""
    if "continue" in request.POST and step < LAST_STEP:
        return redirect(_step_url(application, step + 1))
    return redirect(_step_url(application, step))


def _reusable_vault_documents(application, day) -> dict:
    """The newest valid vault document of the structure for each required kind."""
    required = application.scheme.required_documents if application.scheme_id else []
    reusable = {}
    documents = (
        Document.objects.vault()
        .valid_on(day)
        .filter(actor_id=application.actor_id, kind__in=required)
        .order_by("kind", "-uploaded_at")
    )
    for document in documents:
        reusable.setdefault(document.kind, document)
    return reusable


def _completion(application, day) -> dict[int, bool]:
    """Whether each step holds what the submission needs (the marks of the step navigation)."""
    totals = application.financing_totals()
    return {
        1: application.scheme_id is not None,
        2: bool(application.title and application.summary and application.starts_on and application.ends_on),
        3: totals["is_balanced"],
        4: bool(application.requested_amount)
        and (application.scheme is None or application.requested_amount <= application.scheme.ceiling_amount),
        5: application.scheme_id is not None and not application.missing_document_kinds(day),
        6: application.status != ApplicationStatus.DRAFT,
    }


def _steps(application, current: int, day) -> list[dict]:
    done = _completion(application, day) if application is not None else {}
    return [
        {
            "number": number,
            "title": title,
            "url": _step_url(application, number) if application is not None else None,
            "is_complete": done.get(number, False),
            "is_current": number == current,
        }
        for number, title in STEPS
    ]


def _render_step(request, application, step: int, context: dict):
    day = timezone.localdate()
    return render(
        request,
        f"funding/application_form_step{step}.html",
        {
            "application": application,
            "step": step,
            "step_title": STEPS[step - 1][1],
            "steps": _steps(application, step, day),
            "last_step": LAST_STEP,
            **context,
        },
    )


# --- The six steps -------------------------------------------------------------------------------------------


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def application_start(request):
    """Step 1 of a new application: the structure and the scheme; saving it creates the draft."""
    day = timezone.localdate()
    initial = {}
    if slug := request.GET.get("dispositif"):
        initial["scheme"] = SupportScheme.objects.open_on(day).filter(slug=slug).values_list("pk", flat=True).first()
    form = ApplicationStartForm(request.POST or None, user=request.user, day=day, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            application = Application.objects.create(
                actor=form.cleaned_data["actor"],
                scheme=form.cleaned_data["scheme"],
                title="",
                requested_amount=0,
            )
        messages.success(request, "Le brouillon de votre demande est créé. Décrivez maintenant votre projet.")
        return redirect(_step_url(application, 2))
    return _render_step(request, None, 1, {"form": form, "has_structure": form.fields["actor"].queryset.exists()})


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def application_step(request, pk, step):
    if step not in dict(STEPS):
        raise Http404("Étape inconnue.")
    application, refused = _get_draft(request, pk)
    if refused:
        return refused
    return STEP_VIEWS[step](request, application)


def _step_structure(request, application):
    day = timezone.localdate()
    form = ApplicationStartForm(
        request.POST or None,
        user=request.user,
        day=day,
        initial={"actor": application.actor_id, "scheme": application.scheme_id},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            application.actor = form.cleaned_data["actor"]
            application.scheme = form.cleaned_data["scheme"]
            application.save(update_fields=["actor", "scheme"])
        messages.success(request, "La structure et le dispositif sont enregistrés.")
        return _after_save(request, application, 1)
    return _render_step(request, application, 1, {"form": form, "has_structure": True})


def _step_project(request, application):
    form = ApplicationProjectForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "Le projet est enregistré.")
        return _after_save(request, application, 2)
    return _render_step(request, application, 2, {"form": form})


def _financing_message(totals) -> str:
    return (
        f"Le plan de financement n’est pas équilibré : dépenses {format_euros(totals['expenses'])}, "
        f"ressources {format_euros(totals['all_resources'])} (dont {format_euros(totals['requested'])} demandés "
        f"à Bordeaux Métropole), écart de {format_euros(abs(totals['gap']))}. "
        "Il doit être équilibré pour déposer la demande."
    )


def _step_financing(request, application):
    data = request.POST if request.method == "POST" else None
    expenses, resources = financing_formsets(data, application=application)
    if request.method == "POST" and expenses.is_valid() and resources.is_valid():
        with transaction.atomic():
            expenses.save()
            resources.save()
        totals = application.financing_totals()
        if totals["is_balanced"]:
            messages.success(request, "Le plan de financement est enregistré et équilibré.")
        else:
            messages.warning(request, "Le plan de financement est enregistré. " + _financing_message(totals))
        return _after_save(request, application, 3)
    totals = application.financing_totals()
    return _render_step(
        request,
        application,
        3,
        {
            "expense_formset": expenses,
            "resource_formset": resources,
            "totals": totals,
            "unbalanced_message": _financing_message(totals)
            if totals["expenses"] and not totals["is_balanced"]
            else "",
        },
    )


def _step_amount(request, application):
    data = request.POST if request.method == "POST" else None
    form = RequestedAmountForm(data, instance=application)
    aids = DeclaredAidFormSet(data, instance=application, prefix="aides")
    if request.method == "POST" and form.is_valid() and aids.is_valid():
        with transaction.atomic():
            form.save()
            aids.save()
        messages.success(request, "Le montant demandé et les aides déclarées sont enregistrés.")
        return _after_save(request, application, 4)
    totals = application.financing_totals()
    return _render_step(
        request,
        application,
        4,
        {
            "form": form,
            "aid_formset": aids,
            "totals": totals,
            "suggested_request": max(totals["expenses"] - totals["resources"], Decimal("0.00")),
        },
    )


def _step_documents(request, application):
    day = timezone.localdate()
    required = list(application.scheme.required_documents) if application.scheme_id else []
    reusable = _reusable_vault_documents(application, day)
    form = DocumentsStepForm(request.POST or None, request.FILES or None, required_kinds=required, reusable=reusable)
    if request.method == "POST" and form.is_valid():
        uploads = form.uploads()
        with DocumentBatch() as batch:
            for item in uploads:
                batch.add(
                    actor=application.actor,
                    application=None if item["to_vault"] else application,
                    kind=item["kind"],
                    upload=item["upload"],
                    valid_until=item["valid_until"],
                    by=request.user,
                )
        if uploads:
            messages.success(request, f"{len(uploads)} pièce(s) enregistrée(s).")
        else:
            messages.info(request, "Aucune nouvelle pièce déposée.")
        return _after_save(request, application, 5)
    attached = application.documents.order_by("kind", "-uploaded_at")
    return _render_step(
        request,
        application,
        5,
        {"form": form, "attached": attached, "missing": application.missing_document_kinds(day)},
    )


def _step_summary(request, application):
    day = timezone.localdate()
    if request.method == "POST":
        try:
            services.submit_application(application=application, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                "Votre demande est déposée. Le service ESS en accuse réception par courriel et vous tiendra "
                "informé·e de chaque étape.",
            )
            return redirect("funding:applicant_application_detail", pk=application.pk)
    return _render_step(request, application, 6, _summary_context(application, day))


def _summary_context(application, day) -> dict:
    missing = application.missing_document_kinds(day)
    return {
        "totals": application.financing_totals(),
        "expenses": application.financing_lines.filter(side="expense").select_related("partner"),
        "resources": application.financing_lines.filter(side="resource").select_related("partner"),
        "declared_aids": application.declared_aids.all(),
        "communes": application.communes.order_by("name"),
        "documents": application.available_documents(day).order_by("kind", "-uploaded_at"),
        "missing_documents": [DocumentKind(kind).label for kind in missing],
    }


STEP_VIEWS = {
    1: _step_structure,
    2: _step_project,
    3: _step_financing,
    4: _step_amount,
    5: _step_documents,
    6: _step_summary,
}


@role_required(Role.APPLICANT)
@require_POST
def application_document_delete(request, pk, document_pk):
    """Remove a piece attached to a draft (vault documents stay: they belong to the structure)."""
    application, refused = _get_draft(request, pk)
    if refused:
        return refused
    document = get_object_or_404(application.documents, pk=document_pk)
    name = document.original_name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: document.file.storage.delete(document.file.name))
    messages.success(request, f"La pièce « {name} » est retirée du dossier.")
    return redirect(_step_url(application, 5))


# --- Follow-up -----------------------------------------------------------------------------------------------


@role_required(Role.APPLICANT)
@require_GET
def application_list(request):
    """« Mes dossiers »: the applications of the user's structures."""
    applications = (
        _own_applications(request.user)
        .select_related("actor", "scheme")
        .only(
            "title",
            "status",
            "requested_amount",
            "created_at",
            "submitted_at",
            "actor__name",
            "scheme__title",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/applicant_application_list.html",
        {"page_obj": page, "applications": page.object_list, "draft": ApplicationStatus.DRAFT},
    )


@role_required(Role.APPLICANT)
@require_GET
def application_detail(request, pk):
    application = _get_own_application(
        request,
        pk,
        queryset=_own_applications(request.user).prefetch_related(
            Prefetch("transitions", queryset=application_transitions()),
        ),
    )
    return render(request, "funding/applicant_application_detail.html", _detail_context(request, application))


def application_transitions():
    return ApplicationTransition.objects.select_related("by").order_by("at", "pk")


def _detail_context(request, application, **forms) -> dict:
    day = timezone.localdate()
    requests = list(application.information_requests.order_by("requested_at"))
    pending = [r for r in requests if not r.answered_at]
    answered = [r for r in requests if r.answered_at]
    for information_request in pending:
        information_request.answer_form = forms.get("answer_forms", {}).get(
            information_request.pk
        ) or InformationAnswerForm(prefix=f"reponse-{information_request.pk}")
    decision = getattr(application, "decision", None) if application.status != ApplicationStatus.DRAFT else None
    has_final_report = application.documents.filter(kind=DocumentKind.FINAL_REPORT).exists()
    return {
        "application": application,
        "transitions": application.transitions.all(),
        "pending_requests": pending,
        "answered_requests": answered,
        "documents": application.available_documents(day).order_by("kind", "-uploaded_at"),
        "decision": decision,
        "totals": application.financing_totals(),
        "can_edit": application.status in EDITABLE_BY_APPLICANT,
        "can_withdraw": can_withdraw_application(request.user, application),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "expects_final_report": application.status in FINAL_REPORT_STATUSES and not has_final_report,
        "has_final_report": has_final_report,
        "final_report_form": forms.get("final_report_form") or FinalReportForm(),
    }


def _render_detail(request, application, status=400, **forms):
    return render(
        request,
        "funding/applicant_application_detail.html",
        _detail_context(request, application, **forms),
        status=status,
    )


@role_required(Role.APPLICANT)
@require_POST
def information_request_answer(request, pk, request_pk):
    """The applicant answers an information request: a message and documents, all or nothing."""
    application = _get_own_application(request, pk)
    information_request = get_object_or_404(
        InformationRequest.objects.filter(application=application, answered_at__isnull=True), pk=request_pk
    )
    form = InformationAnswerForm(request.POST, request.FILES, prefix=f"reponse-{information_request.pk}")
    if form.is_valid():
        try:
            with DocumentBatch() as batch:
                for upload in form.cleaned_data["files"]:
                    batch.add(
                        actor=application.actor,
                        application=application,
                        kind=DocumentKind.OTHER,
                        upload=upload,
                        by=request.user,
                    )
                services.answer_information_request(
                    request=information_request, by=request.user, answer=form.cleaned_data["answer"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Votre réponse est transmise au service ESS.")
            return redirect("funding:applicant_application_detail", pk=application.pk)
    return _render_detail(request, application, answer_forms={information_request.pk: form})


@role_required(Role.APPLICANT)
@require_POST
def application_withdraw(request, pk):
    application = _get_own_application(request, pk)
    if not can_withdraw_application(request.user, application):
        messages.error(request, "Cette demande ne peut plus être retirée.")
        return redirect("funding:applicant_application_detail", pk=application.pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Votre demande est retirée.")
            return redirect("funding:applicant_application_detail", pk=application.pk)
    return _render_detail(request, application, withdraw_form=form)


@role_required(Role.APPLICANT)
@require_POST
def final_report_upload(request, pk):
    """The final report (bilan), once the agreement is signed."""
    application = _get_own_application(request, pk)
    if application.status not in FINAL_REPORT_STATUSES:
        messages.error(request, "Le bilan final se dépose après la signature de la convention.")
        return redirect("funding:applicant_application_detail", pk=application.pk)
    form = FinalReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with DocumentBatch() as batch:
                document = batch.add(
                    actor=application.actor,
                    application=application,
                    kind=DocumentKind.FINAL_REPORT,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
                services.receive_final_report(application=application, by=request.user, document=document)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Le bilan final est transmis au service ESS.")
            return redirect("funding:applicant_application_detail", pk=application.pk)
    return _render_detail(request, application, final_report_form=form)


@require_GET
def document_download(request, pk):
    """Serve a private document to whoever may see it (its structure's members, the ESS service); else 404."""
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("Fichier introuvable.") from missing
    response = FileResponse(handle, as_attachment=True, filename=document.original_name)
    response["Content-Type"] = document.content_type
    response["Cache-Control"] = "private, no-store"
    return response
