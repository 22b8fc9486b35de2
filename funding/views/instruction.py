"""The staff page of one application: timeline, documents, financing plan, other aids (de minimis panel), and
the instruction actions (each a small POST view calling funding/services.py). Elected officials read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from funding import services
from funding.compliance import check_de_minimis, is_convention_required, open_data_deadline
from funding.enums import ApplicationStatus as S
from funding.instruction_forms import (
    AssignForm,
    CommentForm,
    InformationRequestForm,
    InternalNoteForm,
    JustificationForm,
    OpenDataPublicationForm,
    OpinionForm,
    PaymentForm,
    ProposeForm,
    SignAgreementForm,
    WithdrawForm,
)
from funding.models import Application, Commitment, Decision, DeclaredAid
from funding.permissions import can_instruct, can_view_instruction


def _require_reader(user) -> None:
    if not can_view_instruction(user):
        raise PermissionDenied("L’instruction des demandes est réservée aux agents de la Métropole et aux élus.")


def _require_instructor(user) -> None:
    if not can_instruct(user):
        raise PermissionDenied("Seul le service ESS instruit les demandes.")


def _application(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "actor", "actor__commune", "scheme", "scheme__budget_line", "instructor", "council_session", "filiere"
        ),
        pk=pk,
    )


def _forms(application: Application) -> dict:
    commitment = Commitment.objects.filter(application=application).first()
    today = timezone.localdate()
    return {
        "assign_form": AssignForm(initial={"instructor": application.instructor_id}),
        "review_form": CommentForm(),
        "information_form": InformationRequestForm(),
        "note_form": InternalNoteForm(),
        "opinion_form": OpinionForm(
            initial={"opinion": application.opinion, "proposed_amount": application.proposed_amount}
        ),
        "justification_form": JustificationForm(initial={"justification": application.de_minimis_justification}),
        "propose_form": ProposeForm(today=today),
        "sign_form": SignAgreementForm(initial={"signed_on": today}),
        "open_data_form": OpenDataPublicationForm(initial={"published_on": today}),
        "payment_form": PaymentForm(commitment=commitment, initial={"paid_on": today}),
        "close_form": CommentForm(),
        "withdraw_form": WithdrawForm(),
    }


@require_GET
def application_staff_detail(request, pk: int):
    _require_reader(request.user)
    application = _application(pk)
    decision = Decision.objects.filter(application=application).select_related("council_session").first()
    commitment = Commitment.objects.filter(application=application).select_related("budget_line").first()
    amount = (decision.granted_amount if decision and decision.is_approved else None) or (
        application.proposed_amount or application.requested_amount
    )
    on = (
        decision.decided_on
        if decision
        else (application.council_session.sits_on if application.council_session_id else timezone.localdate())
    )
    financing = application.financing_lines.select_related("partner").order_by("side", "position", "pk")
    # The structure's other aids: ours (every decision) and those it declared, visible while instructing.
    other_decisions = (
        Decision.objects.filter(application__actor_id=application.actor_id, is_approved=True)
        .exclude(application=application)
        .select_related("application__scheme")
        .order_by("-decided_on")
    )
    declared = (
        DeclaredAid.objects.filter(application__actor_id=application.actor_id)
        .values("funder", "granted_on", "amount", "regime")
        .distinct()
        .order_by("-granted_on", "funder")
    )
    context = {
        "application": application,
        "can_act": can_instruct(request.user),
        "transitions": application.transitions.select_related("by").order_by("at", "pk"),
        "notes": application.internal_notes.select_related("author").order_by("-created_at"),
        "information_requests": application.information_requests.order_by("requested_at"),
        "documents": application.available_documents(timezone.localdate()).order_by("kind", "-uploaded_at"),
        "missing_kinds": application.missing_document_kinds(timezone.localdate()),
        "financing": financing,
        "financing_totals": application.financing_totals(),
        "decision": decision,
        "commitment": commitment,
        "payments": commitment.payments.order_by("pk") if commitment else [],
        "de_minimis": check_de_minimis(application=application, amount=amount, on=on),
        "de_minimis_amount": amount,
        "other_decisions": other_decisions,
        "declared_aids": declared,
        "other_totals": other_decisions.aggregate(total=Sum("granted_amount")),
        "convention_required": is_convention_required(amount),
        "open_data_deadline": open_data_deadline(application),
        "statuses": S,
    }
    if context["can_act"]:
        context.update(_forms(application))
    return render(request, "funding/application_staff_detail.html", context)


def _post(request, pk, form, action, success):
    _require_instructor(request.user)
    application = _application(pk)
    bound = form(application)
    if bound.is_valid():
        try:
            action(application, bound.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
    else:
        for field, errors in bound.errors.items():
            label = bound.fields[field].label if field in bound.fields else ""
            for message in errors:
                messages.error(request, f"{label} : {message}" if label else message)
    return redirect("funding:application_staff_detail", pk=application.pk)


@require_POST
def assign(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: AssignForm(request.POST),
        lambda app, data: services.assign_instructor(application=app, by=request.user, instructor=data["instructor"]),
        "Instructeur attribué.",
    )


@require_POST
def start_review(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: CommentForm(request.POST),
        lambda app, data: services.start_review(application=app, by=request.user, comment=data["comment"]),
        "La demande est en instruction.",
    )


@require_POST
def request_information(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: InformationRequestForm(request.POST),
        lambda app, data: services.request_information(application=app, by=request.user, message=data["message"]),
        "Demande de compléments envoyée au porteur de projet.",
    )


@require_POST
def add_note(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: InternalNoteForm(request.POST),
        lambda app, data: services.add_internal_note(application=app, by=request.user, text=data["text"]),
        "Note interne enregistrée.",
    )


@require_POST
def give_opinion(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: OpinionForm(request.POST),
        lambda app, data: services.give_opinion(
            application=app, by=request.user, opinion=data["opinion"], proposed_amount=data["proposed_amount"]
        ),
        "Avis enregistré.",
    )


@require_POST
def record_justification(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: JustificationForm(request.POST),
        lambda app, data: services.record_de_minimis_justification(
            application=app, by=request.user, justification=data["justification"]
        ),
        "Justification de minimis enregistrée.",
    )


@require_POST
def propose(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: ProposeForm(request.POST, today=timezone.localdate()),
        lambda app, data: services.propose_to_session(application=app, by=request.user, session=data["session"]),
        "Demande proposée à la séance du conseil.",
    )


@require_POST
def sign_agreement(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: SignAgreementForm(request.POST),
        lambda app, data: services.sign_agreement(application=app, by=request.user, signed_on=data["signed_on"]),
        "Signature de la convention enregistrée ; l’échéancier de versement est établi.",
    )


@require_POST
def record_open_data_publication(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: OpenDataPublicationForm(request.POST),
        lambda app, data: services.record_open_data_publication(
            application=app, by=request.user, published_on=data["published_on"]
        ),
        "Publication en données ouvertes enregistrée.",
    )


@require_POST
def record_payment(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: PaymentForm(request.POST, commitment=Commitment.objects.filter(application=app).first()),
        lambda app, data: services.record_payment(
            payment=data["payment"],
            by=request.user,
            paid_on=data["paid_on"],
            payment_order_number=data["payment_order_number"],
        ),
        "Versement enregistré.",
    )


@require_POST
def close(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: CommentForm(request.POST),
        lambda app, data: services.close_application(application=app, by=request.user, comment=data["comment"]),
        "Demande clôturée.",
    )


@require_POST
def withdraw(request, pk: int):
    return _post(
        request,
        pk,
        lambda app: WithdrawForm(request.POST),
        lambda app, data: services.withdraw(application=app, by=request.user, reason=data["reason"]),
        "Demande retirée.",
    )
