"""Every write of the grants workflow: status moves, instruction, council decisions, budget, payments.

Keyword-only, typed, atomic; refusals raise `ValidationError` with a French message and leave nothing
behind. Each status change stores an ApplicationTransition (who, when, from, to, comment) and e-mails are
sent by Celery tasks (`funding.tasks`) once the transaction commits. Views, the API and the applicant pages
call these functions and nothing else to change an application.
"""

import datetime
from decimal import Decimal
from typing import TypedDict

from django.db import transaction

from funding.models import (
    Application,
    Commitment,
    CouncilSession,
    Decision,
    Document,
    InformationRequest,
    InternalNote,
    Payment,
)

DEFAULT_ADVANCE_RATE = Decimal("0.50")


class SessionDecision(TypedDict, total=False):
    """One line of the bulk decision of a council session (`decide_session`)."""

    application: Application
    approved: bool
    amount: Decimal | None  # granted amount when approved
    deliberation_number: str
    decided_on: datetime.date
    refusal_reason: str  # required when refused


# --- Applicant side -------------------------------------------------------------------------------------


@transaction.atomic
def submit_application(*, application: Application, by) -> Application:
    """draft → submitted, after the completeness checks (all errors at once, in French):

    the scheme is chosen and open today; project dates present and ordered; every required document of the
    scheme present (attached to the application, or a valid document of the structure's vault); the financing
    plan balanced (expenses == resources) and the requested amount ≤ the scheme's ceiling.
    E-mails the structure's members and the ESS service.
    """
    raise NotImplementedError


@transaction.atomic
def withdraw(*, application: Application, by, reason: str) -> Application:
    """Any status before the council's decision → withdrawn (final). The reason is required."""
    raise NotImplementedError


@transaction.atomic
def answer_information_request(*, request: InformationRequest, by, answer: str) -> InformationRequest:
    """The applicant answers (documents are attached to the application by the caller): info_requested →
    in_review."""
    raise NotImplementedError


@transaction.atomic
def receive_final_report(*, application: Application, by, document: Document) -> Application:
    """The applicant has uploaded the final report (`document`, kind bilan, attached to the application by the
    caller). Allowed once the agreement is signed (agreement_signed or paid); recorded in the timeline. The
    balance of an instalment plan can be paid only after it, and closing needs it."""
    raise NotImplementedError


# --- Instruction (staff) ----------------------------------------------------------------------------------


@transaction.atomic
def assign_instructor(*, application: Application, by, instructor) -> Application:
    """Give the application to an instructor (a staff user); no status change, noted in the timeline."""
    raise NotImplementedError


@transaction.atomic
def start_review(*, application: Application, by, comment: str = "") -> Application:
    """submitted → in_review; the one who takes it becomes the instructor if there is none."""
    raise NotImplementedError


@transaction.atomic
def request_information(*, application: Application, by, message: str) -> InformationRequest:
    """in_review → info_requested; the message is e-mailed to the structure's members."""
    raise NotImplementedError


@transaction.atomic
def add_internal_note(*, application: Application, by, text: str) -> InternalNote:
    """A note of the instruction, never shown to the applicant."""
    raise NotImplementedError


@transaction.atomic
def give_opinion(*, application: Application, by, opinion: str, proposed_amount: Decimal) -> Application:
    """The instructor's opinion and proposed amount (≤ the requested amount and the scheme's ceiling); in
    review only."""
    raise NotImplementedError


@transaction.atomic
def record_de_minimis_justification(*, application: Application, by, justification: str) -> Application:
    """Record why an aid beyond the de minimis ceiling may still be granted (unblocks the approval)."""
    raise NotImplementedError


@transaction.atomic
def propose_to_session(*, application: Application, by, session: CouncilSession, comment: str = "") -> Application:
    """in_review → proposed to a council session (needs an opinion and a proposed amount)."""
    raise NotImplementedError


# --- Council decisions and budget -------------------------------------------------------------------------


@transaction.atomic
def commit_budget(*, application: Application, amount: Decimal, by, idempotency_key: str) -> Commitment:
    """Commit `amount` on the scheme's budget line, never beyond its voted amount, exactly once per key.

    The line's committed total changes only through a conditional UPDATE; when no row is updated, a
    ValidationError « Crédits insuffisants sur la ligne … : disponible X € ». The same key again returns the
    existing commitment (double click, retried task).
    """
    raise NotImplementedError


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
    raise NotImplementedError


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
    raise NotImplementedError


@transaction.atomic
def decide_session(*, session: CouncilSession, by, decisions: list[SessionDecision]) -> list[Decision]:
    """The bulk decision of a whole sitting: every proposed application approved (amount) or refused (reason),
    each with its deliberation number and date. All or nothing: the first refusal (insufficient credits, de
    minimis, missing reason…) cancels the whole batch with a ValidationError naming the application."""
    raise NotImplementedError


# --- After the decision -----------------------------------------------------------------------------------


@transaction.atomic
def sign_agreement(*, application: Application, by, signed_on: datetime.date) -> Application:
    """approved → agreement_signed; starts the 3-month open-data deadline; schedules the payments."""
    raise NotImplementedError


@transaction.atomic
def schedule_payments(
    *, application: Application, by, advance_rate: Decimal = DEFAULT_ADVANCE_RATE, first_due_on=None
) -> list[Payment]:
    """Create the payment schedule of the commitment per `application.payment_conditions`: one single payment,
    or an advance (`advance_rate` of the amount) then the balance. Idempotent: an existing schedule is
    returned unchanged."""
    raise NotImplementedError


@transaction.atomic
def record_payment(*, payment: Payment, by, paid_on: datetime.date, payment_order_number: str) -> Payment:
    """Mark a scheduled payment as paid (mandat); the commitment's paid amount rises by a conditional
    update, never above the commitment. When everything is paid: agreement_signed → paid. E-mails the
    applicant."""
    raise NotImplementedError


@transaction.atomic
def close_application(*, application: Application, by, comment: str = "") -> Application:
    """paid → closed, once the final report is received."""
    raise NotImplementedError


@transaction.atomic
def record_open_data_publication(*, application: Application, by, published_on: datetime.date) -> Application:
    """Note the date the subsidy's data was published in open data (SCDL)."""
    raise NotImplementedError
