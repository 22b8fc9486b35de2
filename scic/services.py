"""Writes of the SCIC register. A subscription spends the SCIC fund line of its year through
`funding.services.commit_spending` (the same conditional UPDATE as every commitment, never beyond the line)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from actors.enums import LegalForm
from actors.models import Actor
from ess_portal.formatting import format_euros, format_number, percentage
from funding.enums import CommitmentKind, PaymentKind
from funding.models import BudgetLine, Commitment, Payment
from funding.services import add_payment, commit_spending
from scic.enums import MovementKind
from scic.models import (
    PUBLIC_SHARE_CAP_PERCENT,
    CapitalRecord,
    LiaisonMeeting,
    PublicHolding,
    Representative,
    Scic,
    ShareMovement,
)

# The code of the plan's « Fonds de participation dans des SCIC » line (funding/data/budget.json).
SCIC_FUND_LINE_CODE = "fonds-participation-scic"


def scic_fund_line(year: int) -> BudgetLine | None:
    return BudgetLine.objects.filter(year=year, code=SCIC_FUND_LINE_CODE).first()


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


@transaction.atomic
def declare_scic(
    *,
    actor: Actor,
    by,
    idempotency_key: str,
    framework_deliberation_number: str = "",
    framework_deliberation_on: datetime.date | None = None,
    notes: str = "",
) -> Scic:
    """Enter a structure of the registry in the SCIC register; only a structure whose legal form is SCIC."""
    existing = Scic.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if actor.legal_form != LegalForm.SCIC:
        raise ValidationError(
            "« %(name)s » n’a pas la forme juridique SCIC (%(form)s) : corrigez sa fiche avant de la déclarer.",
            code="not_a_scic",
            params={"name": actor.name, "form": actor.get_legal_form_display()},
        )
    if Scic.objects.filter(actor=actor).exists():
        raise ValidationError(
            "« %(name)s » est déjà au registre des SCIC.", code="duplicate", params={"name": actor.name}
        )
    return Scic.objects.create(
        actor=actor,
        framework_deliberation_number=framework_deliberation_number.strip(),
        framework_deliberation_on=framework_deliberation_on,
        notes=notes.strip(),
        declared_by=by,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def record_capital(*, scic: Scic, recorded_on: datetime.date, amount: Decimal, source: str = "") -> CapitalRecord:
    """The SCIC's capital on a date; recording the same date again corrects it (so a double submit is harmless)."""
    amount = _money(amount)
    if amount < 0:
        raise ValidationError("Le capital ne peut pas être négatif.", code="amount")
    record, _ = CapitalRecord.objects.update_or_create(
        scic=scic, recorded_on=recorded_on, defaults={"amount": amount, "source": source.strip()}
    )
    return record


@transaction.atomic
def record_public_holding(
    *,
    scic: Scic,
    holder_name: str,
    holder_kind: str,
    amount: Decimal,
    held_from: datetime.date,
    held_until: datetime.date | None = None,
    idempotency_key: str,
) -> PublicHolding:
    existing = PublicHolding.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("Le capital détenu doit être positif.", code="amount")
    if held_until is not None and held_until < held_from:
        raise ValidationError("La fin de la détention précède son début.", code="held_until")
    return PublicHolding.objects.create(
        scic=scic,
        holder_name=holder_name.strip(),
        holder_kind=holder_kind,
        amount=amount,
        held_from=held_from,
        held_until=held_until,
        idempotency_key=idempotency_key,
    )


def _lock(scic: Scic) -> Scic:
    # Serialises the writes on one SCIC's shares, so two subscriptions never both pass the cap on the same figures.
    return Scic.objects.select_for_update(of=("self",)).select_related("actor").get(pk=scic.pk)


def _check_public_cap(*, scic: Scic, on: datetime.date, amount: Decimal) -> None:
    """The public share after subscribing `amount` of new capital on `on`:
    (Métropole + other collectivities + amount) ≤ 50 % × (capital + amount); exactly 50 % is allowed."""
    figures = scic.figures_on(on)
    public_after = figures.public_amount + amount
    capital_after = figures.capital_amount + amount
    if public_after * 100 > capital_after * PUBLIC_SHARE_CAP_PERCENT:
        raise ValidationError(
            "La part publique atteindrait %(percent)s\u00a0%% du capital (plafond 50\u00a0%%) : "
            "la Métropole détiendrait %(metropole)s et les autres collectivités %(others)s, "
            "soit %(public)s sur un capital de %(capital)s après souscription.",
            code="public_cap",
            params={
                "percent": format_number(percentage(public_after, capital_after), 1),
                "metropole": format_euros(figures.metropole_amount + amount),
                "others": format_euros(figures.other_public_amount),
                "public": format_euros(public_after),
                "capital": format_euros(capital_after),
            },
        )


@transaction.atomic
def subscribe_shares(
    *,
    scic: Scic,
    shares: int,
    nominal: Decimal,
    subscribed_on: datetime.date,
    fund_year: int,
    deliberation_number: str,
    deliberation_on: datetime.date | None,
    by,
    idempotency_key: str,
) -> ShareMovement:
    """The Métropole subscribes new shares of the SCIC: checked against the 50 % public cap (the subscription is new
    capital), committed on the SCIC fund line of `fund_year`, recorded as a movement; all or nothing, once per key."""
    existing = ShareMovement.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if shares <= 0:
        raise ValidationError("Indiquez un nombre de parts positif.", code="shares")
    nominal = _money(nominal)
    if nominal <= 0:
        raise ValidationError("La valeur nominale d’une part doit être positive.", code="nominal")
    amount = shares * nominal
    scic = _lock(scic)
    # Again under the lock: a concurrent double submit waited for the first one and finds its movement now.
    existing = ShareMovement.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    _check_public_cap(scic=scic, on=subscribed_on, amount=amount)
    line = scic_fund_line(fund_year)
    if line is None:
        raise ValidationError(
            "Aucune ligne « Fonds de participation dans des SCIC » au budget %(year)s.",
            code="fund_year",
            params={"year": fund_year},
        )
    commitment = commit_spending(
        budget_line=line,
        kind=CommitmentKind.SCIC_SHARES,
        amount=amount,
        label=f"Souscription de {shares} parts de la SCIC {scic.actor.name}",
        by=by,
        idempotency_key=f"scic:{idempotency_key}",
        beneficiary=scic.actor,
        deliberation_number=deliberation_number,
        deliberation_on=deliberation_on,
    )
    return ShareMovement.objects.create(
        scic=scic,
        kind=MovementKind.SUBSCRIPTION,
        moved_on=subscribed_on,
        shares=shares,
        nominal=nominal,
        deliberation_number=deliberation_number.strip(),
        deliberation_on=deliberation_on,
        commitment=commitment,
        recorded_by=by,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def record_movement(
    *,
    scic: Scic,
    kind: str,
    shares: int,
    nominal: Decimal,
    moved_on: datetime.date,
    by,
    idempotency_key: str,
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
    payment_order_number: str = "",
) -> ShareMovement:
    """Paying-up (libération), redemption or transfer of the Métropole's shares. A redemption or transfer never takes
    the holding below zero, on its date or afterwards; paying-up never passes the subscribed amount, and with its
    mandate number it is paid on the commitment of the oldest subscription that has that much left to pay
    (`funding.services.add_payment`, within the commitment)."""
    existing = ShareMovement.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if kind == MovementKind.SUBSCRIPTION:
        raise ValidationError("Une souscription s’enregistre par « Souscrire des parts ».", code="kind")
    if kind not in MovementKind.values:
        raise ValidationError("Nature de mouvement inconnue.", code="kind")
    if shares <= 0:
        raise ValidationError("Indiquez un nombre de parts positif.", code="shares")
    nominal = _money(nominal)
    if nominal <= 0:
        raise ValidationError("La valeur nominale d’une part doit être positive.", code="nominal")
    scic = _lock(scic)
    existing = ShareMovement.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    movements = ShareMovement.objects.filter(scic=scic)
    if kind in (MovementKind.REDEMPTION, MovementKind.TRANSFER):
        held = min(movements.holding(on=moved_on).shares, movements.holding().shares)
        if shares > held:
            raise ValidationError(
                "La Métropole ne détient que %(held)s parts de cette SCIC au %(date)s : impossible d’en retirer "
                "%(shares)s.",
                code="shares",
                params={"held": format_number(held), "date": f"{moved_on:%d/%m/%Y}", "shares": format_number(shares)},
            )
    else:
        subscribed = movements.subscriptions().holding().amount
        unpaid = subscribed - movements.paid_up_amount()
        if shares * nominal > unpaid:
            raise ValidationError(
                "La libération de %(amount)s dépasse le montant souscrit restant à libérer (%(unpaid)s).",
                code="shares",
                params={"amount": format_euros(shares * nominal), "unpaid": format_euros(unpaid)},
            )
    payment = None
    if kind == MovementKind.PAYING_UP and payment_order_number.strip():
        payment = _pay_subscription(
            scic=scic,
            amount=shares * nominal,
            paid_on=moved_on,
            payment_order_number=payment_order_number,
            by=by,
            idempotency_key=f"scic:{idempotency_key}",
        )
    return ShareMovement.objects.create(
        scic=scic,
        kind=kind,
        moved_on=moved_on,
        shares=shares,
        nominal=nominal,
        deliberation_number=deliberation_number.strip(),
        deliberation_on=deliberation_on,
        payment=payment,
        recorded_by=by,
        idempotency_key=idempotency_key,
    )


def _pay_subscription(*, scic, amount, paid_on, payment_order_number, by, idempotency_key) -> Payment:
    commitment = (
        Commitment.objects.filter(scic_movements__scic=scic, scic_movements__kind=MovementKind.SUBSCRIPTION)
        .annotate(left_to_pay=F("amount") - F("paid_amount"))
        .filter(left_to_pay__gte=amount)
        .order_by("scic_movements__moved_on", "pk")
        .first()
    )
    if commitment is None:
        raise ValidationError(
            "Aucune souscription de cette SCIC n’a %(amount)s restant à payer sur son engagement.",
            code="shares",
            params={"amount": format_euros(amount)},
        )
    return add_payment(
        commitment=commitment,
        amount=amount,
        kind=PaymentKind.SINGLE if amount == commitment.left_to_pay else PaymentKind.ADVANCE,
        by=by,
        paid_on=paid_on,
        payment_order_number=payment_order_number,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def designate_representative(
    *,
    scic: Scic,
    person_name: str,
    body: str,
    mandate_start_on: datetime.date,
    idempotency_key: str,
    mandate_end_on: datetime.date | None = None,
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
) -> Representative:
    existing = Representative.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if mandate_end_on is not None and mandate_end_on < mandate_start_on:
        raise ValidationError("La fin du mandat précède son début.", code="mandate_end_on")
    return Representative.objects.create(
        scic=scic,
        person_name=person_name.strip(),
        body=body,
        mandate_start_on=mandate_start_on,
        mandate_end_on=mandate_end_on,
        deliberation_number=deliberation_number.strip(),
        deliberation_on=deliberation_on,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def record_liaison_meeting(
    *,
    scic: Scic,
    held_on: datetime.date,
    idempotency_key: str,
    participants: str = "",
    minutes: str = "",
    decisions: str = "",
) -> LiaisonMeeting:
    existing = LiaisonMeeting.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    return LiaisonMeeting.objects.create(
        scic=scic,
        held_on=held_on,
        participants=participants.strip(),
        minutes=minutes.strip(),
        decisions=decisions.strip(),
        idempotency_key=idempotency_key,
    )
