"""Every write of the grants workflow: status moves, instruction, council decisions, budget, payments.

Keyword-only, typed, atomic; refusals raise `ValidationError` with a French message and leave nothing
behind. Each status change stores an ApplicationTransition (who, when, from, to, comment) and e-mails are
sent by Celery tasks (`funding.tasks`) once the transaction commits. Views, the API and the applicant pages
call these functions and nothing else to change an application.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from accounts.enums import Role
from actors.models import Actor
from ess_portal.formatting import format_euros
from funding.compliance import ensure_de_minimis_allows
from funding.enums import ApplicationStatus as S
from funding.enums import CommitmentKind, DocumentKind, PaymentConditions, PaymentKind
from funding.models import (
    Application,
    ApplicationTransition,
    BudgetLine,
    Commitment,
    CouncilSession,
    Decision,
    Document,
    InformationRequest,
    InternalNote,
    Payment,
    SupportScheme,
)
from funding.workflow import check_transition

DEFAULT_ADVANCE_RATE = Decimal("0.50")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class SessionDecision(TypedDict, total=False):
    """One line of the bulk decision of a council session (`decide_session`)."""

    application: Application
    approved: bool
    amount: Decimal | None  # granted amount when approved
    deliberation_number: str
    decided_on: datetime.date
    refusal_reason: str  # required when refused


# --- Internals ------------------------------------------------------------------------------------------


def _move(*, application: Application, to: str, by, comment: str = "", **fields) -> ApplicationTransition:
    """Change the status under a row lock (two staff moving the same application at once: one wins, the other
    gets the illegal-transition message), then store the transition."""
    current = Application.objects.select_for_update().values_list("status", flat=True).get(pk=application.pk)
    check_transition(current, to)
    fields["status"] = to
    Application.objects.filter(pk=application.pk).update(**fields)
    for name, value in fields.items():
        setattr(application, name, value)
    return ApplicationTransition.objects.create(
        application=application, from_status=current, to_status=to, by=by, comment=comment
    )


def _log(*, application: Application, by, comment: str) -> ApplicationTransition:
    """A timeline event that does not change the status (assignment, final report received…)."""
    return ApplicationTransition.objects.create(
        application=application, from_status=application.status, to_status=application.status, by=by, comment=comment
    )


def _require_status(application: Application, *statuses: str, action: str) -> None:
    if application.status not in statuses:
        raise ValidationError(
            "Impossible de %(action)s : la demande est à l’état « %(status)s ».",
            code="wrong_status",
            params={"action": action, "status": application.get_status_display()},
        )


def _notify(event: str, application: Application, object_id: int | None = None) -> None:
    from funding.tasks import send_application_notification

    send_application_notification.delay_on_commit(application.pk, event, object_id)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def has_final_report(application: Application) -> bool:
    return application.documents.filter(kind=DocumentKind.FINAL_REPORT).exists()


# --- Applicant side -------------------------------------------------------------------------------------


def completeness_errors(application: Application, *, today: datetime.date | None = None) -> list[str]:
    """What prevents the submission, in French (empty when complete). Sums are computed in SQL."""
    today = today or timezone.localdate()
    errors = []
    scheme = application.scheme
    if scheme is None:
        errors.append("Choisissez le dispositif auquel vous candidatez.")
    elif not SupportScheme.objects.open_on(today).filter(pk=scheme.pk).exists():
        errors.append(f"Le dispositif « {scheme.title} » n’est pas ouvert aux candidatures aujourd’hui.")
    if not application.title.strip():
        errors.append("Indiquez l’intitulé du projet.")
    if application.starts_on is None or application.ends_on is None:
        errors.append("Indiquez les dates de début et de fin du projet.")
    elif application.ends_on < application.starts_on:
        errors.append("La date de fin du projet doit suivre sa date de début.")
    if application.requested_amount is None or application.requested_amount <= 0:
        errors.append("Indiquez le montant demandé à la Métropole.")
    elif scheme is not None and application.requested_amount > scheme.ceiling_amount:
        errors.append(
            f"Le montant demandé ({format_euros(application.requested_amount)}) dépasse le plafond du dispositif "
            f"({format_euros(scheme.ceiling_amount)})."
        )
    # The Métropole's part is the requested amount (not a FinancingLine): expenses == resources + requested.
    totals = application.financing_totals()
    if totals["expenses"] <= 0:
        errors.append("Le plan de financement ne comporte aucune dépense.")
    elif not totals["is_balanced"]:
        errors.append(
            f"Le plan de financement n’est pas équilibré : dépenses {format_euros(totals['expenses'])}, "
            f"ressources {format_euros(totals['all_resources'])} (dont {format_euros(totals['requested'])} "
            "demandés à la Métropole)."
        )
    labels = dict(DocumentKind.choices)
    for kind in application.missing_document_kinds(today):
        errors.append(f"Pièce manquante : {labels.get(kind, kind)}.")
    return errors


@transaction.atomic
def submit_application(*, application: Application, by) -> Application:
    """draft → submitted, after the completeness checks (all errors at once, in French):

    the scheme is chosen and open today; project dates present and ordered; every required document of the
    scheme present (attached to the application, or a valid document of the structure's vault); the financing
    plan balanced (expenses == resources) and the requested amount ≤ the scheme's ceiling.
    E-mails the structure's members and the ESS service.
    """
    check_transition(application.status, S.SUBMITTED)
    errors = completeness_errors(application)
    if errors:
        raise ValidationError(errors)
    _move(application=application, to=S.SUBMITTED, by=by, submitted_at=timezone.now())
    _notify("submitted", application)
    return application


@transaction.atomic
def withdraw(*, application: Application, by, reason: str) -> Application:
    """Any status before the council's decision → withdrawn (final). The reason is required."""
    if not reason.strip():
        raise ValidationError("Indiquez pourquoi la demande est retirée.")
    _move(application=application, to=S.WITHDRAWN, by=by, comment=reason.strip())
    return application


@transaction.atomic
def answer_information_request(*, request: InformationRequest, by, answer: str) -> InformationRequest:
    """The applicant answers (documents are attached to the application by the caller): info_requested →
    in_review."""
    if not answer.strip():
        raise ValidationError("Rédigez votre réponse.")
    request = InformationRequest.objects.select_for_update().select_related("application").get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationError("Cette demande de compléments a déjà reçu une réponse.")
    request.answer, request.answered_by, request.answered_at = answer.strip(), by, timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    _move(application=request.application, to=S.IN_REVIEW, by=by, comment="Réponse aux compléments demandés.")
    return request


@transaction.atomic
def receive_final_report(*, application: Application, by, document: Document) -> Application:
    """The applicant has uploaded the final report (`document`, kind bilan, attached to the application by the
    caller). Allowed once the agreement is signed (agreement_signed or paid); recorded in the timeline. The
    balance of an instalment plan can be paid only after it, and closing needs it."""
    _require_status(application, S.AGREEMENT_SIGNED, S.PAID, action="déposer le bilan final")
    if document.application_id != application.pk or document.kind != DocumentKind.FINAL_REPORT:
        raise ValidationError("Le document déposé n’est pas le bilan final de cette demande.")
    _log(application=application, by=by, comment=f"Bilan final déposé : {document.original_name}")
    return application


# --- Instruction (staff) ----------------------------------------------------------------------------------


@transaction.atomic
def assign_instructor(*, application: Application, by, instructor) -> Application:
    """Give the application to an instructor (a staff user); no status change, noted in the timeline."""
    if instructor is not None and not instructor.has_role(Role.STAFF):
        raise ValidationError("L’instructeur doit être un agent du service ESS.")
    if application.status in (S.DRAFT, S.REJECTED, S.WITHDRAWN, S.CLOSED):
        raise ValidationError("Cette demande ne peut pas être attribuée dans son état actuel.")
    Application.objects.filter(pk=application.pk).update(instructor=instructor)
    application.instructor = instructor
    name = instructor.get_full_name() or instructor.email if instructor else "personne"
    _log(application=application, by=by, comment=f"Instruction attribuée à {name}.")
    return application


@transaction.atomic
def start_review(*, application: Application, by, comment: str = "") -> Application:
    """submitted → in_review; the one who takes it becomes the instructor if there is none."""
    fields = {} if application.instructor_id else {"instructor": by}
    _move(application=application, to=S.IN_REVIEW, by=by, comment=comment, **fields)
    return application


@transaction.atomic
def request_information(*, application: Application, by, message: str) -> InformationRequest:
    """in_review → info_requested; the message is e-mailed to the structure's members."""
    if not message.strip():
        raise ValidationError("Rédigez la demande de compléments.")
    _move(application=application, to=S.INFO_REQUESTED, by=by, comment=message.strip())
    request = InformationRequest.objects.create(application=application, message=message.strip(), requested_by=by)
    _notify("information_requested", application, request.pk)
    return request


@transaction.atomic
def add_internal_note(*, application: Application, by, text: str) -> InternalNote:
    """A note of the instruction, never shown to the applicant."""
    if not text.strip():
        raise ValidationError("La note est vide.")
    return InternalNote.objects.create(application=application, author=by, text=text.strip())


@transaction.atomic
def give_opinion(*, application: Application, by, opinion: str, proposed_amount: Decimal) -> Application:
    """The instructor's opinion and proposed amount (≤ the requested amount and the scheme's ceiling); in
    review only."""
    _require_status(application, S.IN_REVIEW, S.INFO_REQUESTED, action="rendre un avis")
    if not opinion.strip():
        raise ValidationError("Rédigez l’avis de l’instructeur.")
    if proposed_amount is None or proposed_amount <= 0:
        raise ValidationError("Le montant proposé doit être positif.")
    proposed_amount = _money(proposed_amount)
    if proposed_amount > application.requested_amount:
        raise ValidationError(
            f"Le montant proposé dépasse le montant demandé ({format_euros(application.requested_amount)})."
        )
    if application.scheme_id and proposed_amount > application.scheme.ceiling_amount:
        raise ValidationError(
            f"Le montant proposé dépasse le plafond du dispositif ({format_euros(application.scheme.ceiling_amount)})."
        )
    Application.objects.filter(pk=application.pk).update(opinion=opinion.strip(), proposed_amount=proposed_amount)
    application.opinion, application.proposed_amount = opinion.strip(), proposed_amount
    _log(application=application, by=by, comment=f"Avis rendu, montant proposé {format_euros(proposed_amount)}.")
    return application


@transaction.atomic
def record_de_minimis_justification(*, application: Application, by, justification: str) -> Application:
    """Record why an aid beyond the de minimis ceiling may still be granted (unblocks the approval)."""
    if not justification.strip():
        raise ValidationError("La justification est vide.")
    Application.objects.filter(pk=application.pk).update(de_minimis_justification=justification.strip())
    application.de_minimis_justification = justification.strip()
    _log(application=application, by=by, comment="Justification du dépassement du plafond de minimis enregistrée.")
    return application


@transaction.atomic
def propose_to_session(*, application: Application, by, session: CouncilSession, comment: str = "") -> Application:
    """in_review → proposed to a council session (needs an opinion and a proposed amount)."""
    if not application.opinion.strip() or application.proposed_amount is None:
        raise ValidationError("Rendez l’avis et le montant proposé avant de proposer la demande au conseil.")
    if session.sits_on < timezone.localdate():
        raise ValidationError("Cette séance du conseil est déjà passée.")
    _move(
        application=application,
        to=S.PROPOSED,
        by=by,
        comment=comment or f"Proposée à la {session}.",
        council_session=session,
    )
    return application


def _charge_budget_line(*, line_id: int, amount: Decimal) -> bool:
    """Add `amount` to the line's committed total by one conditional UPDATE, only while it stays within the voted
    amount (the check constraint `budget_line_committed_within_voted` backs it up). False when refused: the
    caller says why. The one place where any commitment, grant or not, consumes a line."""
    return bool(
        BudgetLine.objects.filter(pk=line_id, committed_amount__lte=F("voted_amount") - amount).update(
            committed_amount=F("committed_amount") + amount
        )
    )


def _pay_within_commitment(*, commitment_id: int, amount: Decimal) -> None:
    """Add a made payment to the commitment's paid amount by one conditional UPDATE, never above the commitment
    (backed by the check constraint `commitment_paid_within_amount`)."""
    updated = Commitment.objects.filter(pk=commitment_id, paid_amount__lte=F("amount") - amount).update(
        paid_amount=F("paid_amount") + amount
    )
    if not updated:
        commitment = Commitment.objects.get(pk=commitment_id)
        raise ValidationError(
            "Ce versement de %(amount)s dépasserait l’engagement : reste à verser %(remaining)s.",
            code="payment_above_commitment",
            params={"amount": format_euros(amount), "remaining": format_euros(commitment.remaining_to_pay)},
        )


# --- Council decisions and budget -------------------------------------------------------------------------


@transaction.atomic
def commit_budget(*, application: Application, amount: Decimal, by, idempotency_key: str) -> Commitment:
    """Commit `amount` on the scheme's budget line, never beyond its voted amount, exactly once per key.

    The line's committed total changes only through a conditional UPDATE; when no row is updated, a
    ValidationError « Crédits insuffisants sur la ligne … : disponible X € ». The same key again returns the
    existing commitment (double click, retried task).
    """
    existing = Commitment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.application_id != application.pk:
            raise ValidationError("Cette clé d’idempotence a déjà servi pour une autre demande.")
        return existing
    existing = Commitment.objects.filter(application=application).first()
    if existing is not None:
        # Committed by a concurrent retry between the two reads: the same key is still the same commitment.
        if existing.idempotency_key == idempotency_key:
            return existing
        raise ValidationError("Cette demande a déjà un engagement.")
    if application.scheme_id is None:
        raise ValidationError("La demande n’a pas de dispositif, donc pas de ligne budgétaire.")
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("Le montant à engager doit être positif.")
    line_id = application.scheme.budget_line_id
    try:
        # A savepoint: if another transaction inserted the same key meanwhile, our line update is undone too.
        with transaction.atomic():
            if not _charge_budget_line(line_id=line_id, amount=amount):
                line = BudgetLine.objects.get(pk=line_id)
                raise ValidationError(
                    "Crédits insuffisants sur la ligne « %(line)s » : disponible %(available)s, "
                    "engagement demandé %(amount)s.",
                    code="insufficient_credits",
                    params={
                        "line": line,
                        "available": format_euros(line.available_amount),
                        "amount": format_euros(amount),
                    },
                )
            commitment = Commitment.objects.create(
                application=application,
                budget_line_id=line_id,
                amount=amount,
                idempotency_key=idempotency_key,
                committed_by=by,
            )
    except IntegrityError:
        existing = Commitment.objects.filter(idempotency_key=idempotency_key, application=application).first()
        if existing is None:
            raise ValidationError("Cette demande a déjà un engagement.") from None
        return existing
    # The legal-commitment number (EJ) of the finance software: year of the line and our sequence.
    commitment.legal_commitment_number = f"EJ-{application.scheme.budget_line.year}-{commitment.pk:06d}"
    commitment.save(update_fields=["legal_commitment_number"])
    return commitment


def _decision_session(application: Application, session: CouncilSession | None) -> CouncilSession:
    session = session or application.council_session
    if session is None:
        raise ValidationError("La demande n’est proposée à aucune séance du conseil.")
    if application.council_session_id and application.council_session_id != session.pk:
        raise ValidationError(f"« {application.title} » n’est pas proposée à cette séance.")
    return session


@transaction.atomic
def approve_application(
    *,
    application: Application,
    by,
    amount: Decimal,
    deliberation_number: str,
    decided_on: datetime.date,
    session: CouncilSession | None = None,
) -> Decision:
    """proposed → approved: the Decision and the Commitment on the scheme's budget line; checks the de
    minimis ceiling (unless justified). E-mails the decision."""
    session = _decision_session(application, session)
    if amount is None or amount <= 0:
        raise ValidationError(f"« {application.title} » : indiquez le montant accordé.")
    amount = _money(amount)
    if not deliberation_number.strip():
        raise ValidationError(f"« {application.title} » : indiquez le numéro de délibération.")
    if amount > application.requested_amount:
        raise ValidationError(
            f"« {application.title} » : le montant accordé dépasse le montant demandé "
            f"({format_euros(application.requested_amount)})."
        )
    ensure_de_minimis_allows(application=application, amount=amount, on=decided_on)
    _move(
        application=application,
        to=S.APPROVED,
        by=by,
        comment=f"Délibération {deliberation_number.strip()} : {format_euros(amount)} accordés.",
    )
    decision = Decision.objects.create(
        application=application,
        council_session=session,
        deliberation_number=deliberation_number.strip(),
        decided_on=decided_on,
        is_approved=True,
        granted_amount=amount,
        decided_by=by,
    )
    commit_budget(application=application, amount=amount, by=by, idempotency_key=f"decision-{application.pk}")
    _notify("decision", application, decision.pk)
    return decision


@transaction.atomic
def reject_application(
    *,
    application: Application,
    by,
    reason: str,
    deliberation_number: str,
    decided_on: datetime.date,
    session: CouncilSession | None = None,
) -> Decision:
    """proposed → rejected (final), with the reason. E-mails the decision."""
    session = _decision_session(application, session)
    if not reason.strip():
        raise ValidationError(f"« {application.title} » : indiquez le motif du refus.")
    _move(application=application, to=S.REJECTED, by=by, comment=reason.strip())
    decision = Decision.objects.create(
        application=application,
        council_session=session,
        deliberation_number=deliberation_number.strip(),
        decided_on=decided_on,
        is_approved=False,
        refusal_reason=reason.strip(),
        decided_by=by,
    )
    _notify("decision", application, decision.pk)
    return decision


@transaction.atomic
def decide_session(*, session: CouncilSession, by, decisions: list[SessionDecision]) -> list[Decision]:
    """The bulk decision of a whole sitting: every proposed application approved (amount) or refused (reason),
    each with its deliberation number and date. All or nothing: any refusal (insufficient credits, de minimis,
    missing reason…) cancels the whole batch with a ValidationError listing every problem."""
    if not decisions:
        raise ValidationError("Aucune décision à enregistrer.")
    results, errors = [], []
    for item in decisions:
        application = item["application"]
        try:
            # Each decision in its own savepoint so that every problem is reported, then all are undone.
            with transaction.atomic():
                if application.council_session_id != session.pk or application.status != S.PROPOSED:
                    raise ValidationError(f"« {application.title} » n’est pas proposée à cette séance.")
                common = {
                    "application": application,
                    "by": by,
                    "deliberation_number": item.get("deliberation_number") or "",
                    "decided_on": item.get("decided_on") or session.sits_on,
                    "session": session,
                }
                if item.get("approved"):
                    results.append(approve_application(amount=item.get("amount"), **common))
                else:
                    results.append(reject_application(reason=item.get("refusal_reason") or "", **common))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return results


# --- After the decision -----------------------------------------------------------------------------------


@transaction.atomic
def sign_agreement(*, application: Application, by, signed_on: datetime.date) -> Application:
    """approved → agreement_signed; starts the 3-month open-data deadline; schedules the payments."""
    if signed_on is None:
        raise ValidationError("Indiquez la date de signature de la convention.")
    decision = Decision.objects.filter(application=application).first()
    if decision is not None and signed_on < decision.decided_on:
        raise ValidationError("La convention ne peut pas être signée avant la décision.")
    _move(
        application=application,
        to=S.AGREEMENT_SIGNED,
        by=by,
        comment=f"Convention signée le {signed_on:%d/%m/%Y}.",
        agreement_signed_on=signed_on,
    )
    schedule_payments(application=application, by=by, first_due_on=signed_on)
    return application


@transaction.atomic
def schedule_payments(
    *, application: Application, by, advance_rate: Decimal = DEFAULT_ADVANCE_RATE, first_due_on=None
) -> list[Payment]:
    """Create the payment schedule of the commitment per `application.payment_conditions`: one single payment,
    or an advance (`advance_rate` of the amount) then the balance. Idempotent: an existing schedule is
    returned unchanged."""
    commitment = Commitment.objects.select_for_update().filter(application=application).first()
    if commitment is None:
        raise ValidationError("La demande n’a pas d’engagement : aucun versement ne peut être prévu.")
    existing = list(commitment.payments.all())
    if existing:
        return existing
    if application.payment_conditions == PaymentConditions.INSTALMENTS:
        if not (0 < advance_rate < 1):
            raise ValidationError("Le taux d’avance doit être compris entre 0 et 100 %.")
        advance = _money(commitment.amount * advance_rate)
        payments = [
            Payment(commitment=commitment, kind=PaymentKind.ADVANCE, amount=advance, due_on=first_due_on),
            Payment(commitment=commitment, kind=PaymentKind.BALANCE, amount=commitment.amount - advance),
        ]
    else:
        payments = [
            Payment(commitment=commitment, kind=PaymentKind.SINGLE, amount=commitment.amount, due_on=first_due_on)
        ]
    for payment in payments:
        payment.save()
    _log(application=application, by=by, comment=f"Échéancier de versement établi ({len(payments)} versement(s)).")
    return payments


@transaction.atomic
def record_payment(*, payment: Payment, by, paid_on: datetime.date, payment_order_number: str) -> Payment:
    """Mark a scheduled payment as paid (mandat); the commitment's paid amount rises by a conditional
    update, never above the commitment. For a grant: when everything is paid, agreement_signed → paid, and the
    applicant is e-mailed; a spending that is not a grant has no application to move."""
    payment = (
        Payment.objects.select_for_update(of=("self", "commitment"))
        .select_related("commitment__application")
        .get(pk=payment.pk)
    )
    application = payment.commitment.application  # None for a spending that is not a grant
    if application is not None:
        _require_status(application, S.AGREEMENT_SIGNED, action="enregistrer un versement")
    if payment.paid_on is not None:
        raise ValidationError("Ce versement est déjà enregistré.")
    if not payment_order_number.strip():
        raise ValidationError("Indiquez le numéro de mandat.")
    if paid_on is None:
        raise ValidationError("Indiquez la date du versement.")
    if application is not None and payment.kind == PaymentKind.BALANCE and not has_final_report(application):
        raise ValidationError("Le solde ne peut être versé qu’après le dépôt du bilan final.")
    _pay_within_commitment(commitment_id=payment.commitment_id, amount=payment.amount)
    payment.paid_on, payment.payment_order_number = paid_on, payment_order_number.strip()
    payment.recorded_by, payment.recorded_at = by, timezone.now()
    payment.save(update_fields=["paid_on", "payment_order_number", "recorded_by", "recorded_at"])
    if application is None:
        return payment
    commitment = Commitment.objects.get(pk=payment.commitment_id)
    comment = (
        f"{payment.get_kind_display()} de {format_euros(payment.amount)} versé "
        f"(mandat {payment.payment_order_number})."
    )
    if commitment.paid_amount == commitment.amount:
        _move(application=application, to=S.PAID, by=by, comment=comment)
    else:
        _log(application=application, by=by, comment=comment)
    _notify("payment", application, payment.pk)
    return payment


@transaction.atomic
def close_application(*, application: Application, by, comment: str = "") -> Application:
    """paid → closed, once the final report is received."""
    application.refresh_from_db(fields=["status"])
    check_transition(application.status, S.CLOSED)
    if not has_final_report(application):
        raise ValidationError("Le bilan final doit être déposé avant la clôture.")
    _move(application=application, to=S.CLOSED, by=by, comment=comment, closed_at=timezone.now())
    return application


@transaction.atomic
def record_open_data_publication(*, application: Application, by, published_on: datetime.date) -> Application:
    """Note the date the subsidy's data was published in open data (SCDL)."""
    if application.agreement_signed_on is None:
        raise ValidationError("La convention n’est pas signée : rien à publier.")
    Application.objects.filter(pk=application.pk).update(open_data_published_on=published_on)
    application.open_data_published_on = published_on
    _log(application=application, by=by, comment=f"Publiée en données ouvertes le {published_on:%d/%m/%Y}.")
    return application


# --- Spending on any budget line (SCIC shares, foncière capital, memberships, studies and services) -------------


@transaction.atomic
def commit_spending(
    *,
    budget_line: BudgetLine,
    kind: str,
    amount: Decimal,
    label: str,
    by,
    idempotency_key: str,
    beneficiary: Actor | None = None,
    beneficiary_name: str = "",
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
    legal_commitment_number: str = "",
) -> Commitment:
    """Commit a spending that is not a grant on `budget_line`, never beyond its voted amount, exactly once per key.

    Called by the staff pages and by the apps that spend through funding (SCIC stakes, foncière capitalisation).
    The line is charged by the same conditional UPDATE as a grant (`_charge_budget_line`); the same key again
    returns the existing commitment (double click, retried task).
    """
    existing = Commitment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.application_id is not None or existing.budget_line_id != budget_line.pk:
            raise ValidationError("Cette clé d’idempotence a déjà servi pour un autre engagement.")
        return existing
    if kind == CommitmentKind.GRANT:
        raise ValidationError(
            "Une subvention s’engage par l’instruction de sa demande, pas comme une dépense.", code="grant_kind"
        )
    if kind not in CommitmentKind.values:
        raise ValidationError("Nature d’engagement inconnue.", code="kind")
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("Le montant à engager doit être positif.", code="amount")
    label, beneficiary_name = label.strip(), beneficiary_name.strip()
    if not label:
        raise ValidationError("Indiquez l’objet de la dépense.", code="label")
    if beneficiary is None and not beneficiary_name:
        raise ValidationError(
            "Indiquez le bénéficiaire : une structure du répertoire ou le nom du fournisseur.", code="beneficiary"
        )
    if beneficiary is not None and beneficiary_name:
        raise ValidationError(
            "Choisissez une structure du répertoire ou saisissez un nom de fournisseur, pas les deux.",
            code="beneficiary",
        )
    try:
        with transaction.atomic():
            if not _charge_budget_line(line_id=budget_line.pk, amount=amount):
                line = BudgetLine.objects.get(pk=budget_line.pk)
                raise ValidationError(
                    "Le montant de %(amount)s dépasse le disponible de la ligne « %(line)s » (%(available)s).",
                    code="insufficient_credits",
                    params={
                        "amount": format_euros(amount),
                        "line": line.label,
                        "available": format_euros(line.available_amount),
                    },
                )
            commitment = Commitment.objects.create(
                kind=kind,
                budget_line=budget_line,
                amount=amount,
                label=label,
                beneficiary=beneficiary,
                beneficiary_name=beneficiary_name,
                deliberation_number=deliberation_number.strip(),
                deliberation_on=deliberation_on,
                legal_commitment_number=legal_commitment_number.strip(),
                idempotency_key=idempotency_key,
                committed_by=by,
            )
    except IntegrityError:
        # The same key inserted by a concurrent request: our line update was undone with the savepoint.
        existing = Commitment.objects.filter(idempotency_key=idempotency_key, budget_line=budget_line).first()
        if existing is None:
            raise
        return existing
    if not commitment.legal_commitment_number:
        commitment.legal_commitment_number = f"EJ-{budget_line.year}-{commitment.pk:06d}"
        commitment.save(update_fields=["legal_commitment_number"])
    return commitment


@transaction.atomic
def add_payment(
    *,
    commitment: Commitment,
    amount: Decimal,
    kind: str,
    by,
    due_on: datetime.date | None = None,
    paid_on: datetime.date | None = None,
    payment_order_number: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """Add a payment to a commitment that is not a grant (grants follow their schedule, `schedule_payments`):
    scheduled (`due_on`) or made at once (`paid_on` and the mandate number). Scheduled and made payments together
    never exceed the commitment; a made one raises the paid amount by the conditional update of `record_payment`.
    The same key again returns the existing payment."""
    if idempotency_key:
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.commitment_id != commitment.pk:
                raise ValidationError("Cette clé d’idempotence a déjà servi pour un autre versement.")
            return existing
    # Locked so that two payments added at once see each other's share of the commitment.
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.kind == CommitmentKind.GRANT:
        raise ValidationError("Les versements d’une subvention suivent l’échéancier de sa demande.")
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("Le montant du versement doit être positif.", code="amount")
    if kind not in PaymentKind.values:
        raise ValidationError("Nature de versement inconnue.", code="kind")
    if paid_on is not None and not payment_order_number.strip():
        raise ValidationError("Indiquez le numéro de mandat.", code="payment_order_number")
    scheduled = commitment.payments.filter(paid_on__isnull=True).aggregate(total=Sum("amount", default=ZERO))["total"]
    remaining = commitment.remaining_to_pay - scheduled
    if amount > remaining:
        raise ValidationError(
            "Ce versement de %(amount)s dépasserait l’engagement : reste à verser %(remaining)s.",
            code="payment_above_commitment",
            params={"amount": format_euros(amount), "remaining": format_euros(remaining)},
        )
    if paid_on is not None:
        _pay_within_commitment(commitment_id=commitment.pk, amount=amount)
    return Payment.objects.create(
        commitment=commitment,
        kind=kind,
        amount=amount,
        due_on=due_on or paid_on,
        paid_on=paid_on,
        payment_order_number=payment_order_number.strip(),
        recorded_by=by if paid_on is not None else None,
        recorded_at=timezone.now() if paid_on is not None else None,
        idempotency_key=idempotency_key or None,
    )
