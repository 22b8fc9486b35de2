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


def _check_registrable(actor: Actor, *, scic: Scic | None = None) -> None:
    """A structure enters the register (or becomes the structure of `scic`) when its legal form is SCIC and it is
    not already the structure of another SCIC of the register."""
    if actor.legal_form != LegalForm.SCIC:
        raise ValidationError(
            "« %(name)s » n’a pas la forme juridique SCIC (%(form)s) : corrigez sa fiche avant de la déclarer.",
            code="not_a_scic",
            params={"name": actor.name, "form": actor.get_legal_form_display()},
        )
    if Scic.objects.filter(actor=actor).exclude(pk=scic.pk if scic else None).exists():
        raise ValidationError(
            "« %(name)s » est déjà au registre des SCIC.", code="duplicate", params={"name": actor.name}
        )


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
    _check_registrable(actor)
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


def _check_public_cap(
    *,
    scic: Scic,
    on: datetime.date,
    metropole_added: Decimal = Decimal("0"),
    others_added: Decimal = Decimal("0"),
    capital_added: Decimal = Decimal("0"),
    after: str = "après souscription",
) -> None:
    """The public share on `on` after a change of the figures: (Métropole + other collectivities) ≤ 50 % × capital;
    exactly 50 % is allowed. A subscription of x adds x to the Métropole's holding and to the capital; a change of
    another collectivity's holding adds to theirs only (the capital is recorded from the SCIC's accounts). A day
    without any capital known (before the first record) has nothing to check against."""
    figures = scic.figures_on(on)
    metropole_after = figures.metropole_amount + metropole_added
    others_after = figures.other_public_amount + others_added
    public_after = metropole_after + others_after
    capital_after = figures.capital_amount + capital_added
    if capital_after <= 0:
        return
    if public_after * 100 > capital_after * PUBLIC_SHARE_CAP_PERCENT:
        raise ValidationError(
            "La part publique atteindrait %(percent)s\u00a0%% du capital (plafond 50\u00a0%%) : "
            "la Métropole détiendrait %(metropole)s et les autres collectivités %(others)s, "
            "soit %(public)s sur un capital de %(capital)s %(after)s.",
            code="public_cap",
            params={
                "percent": format_number(percentage(public_after, capital_after), 1),
                "metropole": format_euros(metropole_after),
                "others": format_euros(others_after),
                "public": format_euros(public_after),
                "capital": format_euros(capital_after),
                "after": after,
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
    _check_public_cap(scic=scic, on=subscribed_on, metropole_added=amount, capital_added=amount)
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


# --- Corrections of the register ----------------------------------------------------------------------------------


@transaction.atomic
def update_scic(
    *,
    scic: Scic,
    actor: Actor,
    framework_deliberation_number: str = "",
    framework_deliberation_on: datetime.date | None = None,
    notes: str = "",
) -> Scic:
    """Correct a SCIC of the register: its framework deliberation, its notes and, as long as no share movement was
    recorded (their commitments name the structure as beneficiary), its structure. Its name is the structure's,
    corrected in the registry of actors."""
    scic = _lock(scic)
    if actor.pk != scic.actor_id:
        if scic.movements.exists():
            raise ValidationError(
                "Des mouvements de parts de « %(name)s » sont enregistrés, engagés au nom de cette structure : "
                "la structure de la SCIC ne peut plus être changée.",
                code="actor_locked",
                params={"name": scic.actor.name},
            )
        _check_registrable(actor, scic=scic)
    scic.actor = actor
    scic.framework_deliberation_number = framework_deliberation_number.strip()
    scic.framework_deliberation_on = framework_deliberation_on
    scic.notes = notes.strip()
    scic.save()
    return scic


@transaction.atomic
def update_capital_record(
    *, record: CapitalRecord, recorded_on: datetime.date, amount: Decimal, source: str = ""
) -> CapitalRecord:
    """Correct a capital record: its date (one record per date and SCIC), its amount or its source."""
    record = CapitalRecord.objects.select_for_update().get(pk=record.pk)
    amount = _money(amount)
    if amount < 0:
        raise ValidationError("Le capital ne peut pas être négatif.", code="amount")
    if CapitalRecord.objects.filter(scic_id=record.scic_id, recorded_on=recorded_on).exclude(pk=record.pk).exists():
        raise ValidationError(
            "Un capital est déjà enregistré au %(date)s pour cette SCIC : corrigez celui-là.",
            code="recorded_on",
            params={"date": recorded_on.strftime("%d/%m/%Y")},
        )
    record.recorded_on = recorded_on
    record.amount = amount
    record.source = source.strip()
    record.save()
    return record


def _in_force(holding: PublicHolding, day: datetime.date) -> bool:
    return holding.held_from <= day and (holding.held_until is None or day <= holding.held_until)


def _days_the_public_share_may_rise(*, scic: Scic, start: datetime.date, end: datetime.date | None):
    """The first day of [start, end] and every later day in it when the SCIC's figures change: a capital record, a
    movement of the Métropole's shares or another holding starting. Between two of them the public share is flat."""
    days = {start}
    for queryset, field in [
        (scic.capital_records.all(), "recorded_on"),
        (scic.movements.all(), "moved_on"),
        (scic.public_holdings.all(), "held_from"),
    ]:
        days.update(queryset.filter(**{f"{field}__gt": start}).values_list(field, flat=True))
    return sorted(day for day in days if end is None or day <= end)


@transaction.atomic
def update_public_holding(
    *,
    holding: PublicHolding,
    holder_name: str,
    holder_kind: str,
    amount: Decimal,
    held_from: datetime.date,
    held_until: datetime.date | None = None,
) -> PublicHolding:
    """Correct another collectivity's holding (amount, dates). Wherever the change raises the holding in force on a
    day, the combined public share of that day is checked against the 50 % cap, as for a subscription."""
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("Le capital détenu doit être positif.", code="amount")
    if held_until is not None and held_until < held_from:
        raise ValidationError("La fin de la détention précède son début.", code="held_until")
    scic = _lock(holding.scic)  # the same lock as subscriptions: the cap is checked on settled figures
    holding = PublicHolding.objects.get(pk=holding.pk)
    for day in _days_the_public_share_may_rise(scic=scic, start=held_from, end=held_until):
        before = holding.amount if _in_force(holding, day) else Decimal("0")
        if amount > before:
            _check_public_cap(
                scic=scic,
                on=day,
                others_added=amount - before,
                after=f"au {day:%d/%m/%Y} avec cette participation",
            )
    holding.holder_name = holder_name.strip()
    holding.holder_kind = holder_kind
    holding.amount = amount
    holding.held_from = held_from
    holding.held_until = held_until
    holding.save()
    return holding


@transaction.atomic
def update_representative(
    *,
    representative: Representative,
    person_name: str,
    body: str,
    mandate_start_on: datetime.date,
    mandate_end_on: datetime.date | None = None,
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
) -> Representative:
    """Correct a representative's designation and mandate."""
    if mandate_end_on is not None and mandate_end_on < mandate_start_on:
        raise ValidationError("La fin du mandat précède son début.", code="mandate_end_on")
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    representative.person_name = person_name.strip()
    representative.body = body
    representative.mandate_start_on = mandate_start_on
    representative.mandate_end_on = mandate_end_on
    representative.deliberation_number = deliberation_number.strip()
    representative.deliberation_on = deliberation_on
    representative.save()
    return representative


@transaction.atomic
def end_mandate(*, representative: Representative, mandate_end_on: datetime.date) -> Representative:
    """End a mandate early: on a day from its start to its current end (any day for a mandate without an end). A
    mandate ending within 90 days then shows among the mandates ending soon."""
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if mandate_end_on < representative.mandate_start_on:
        raise ValidationError(
            "La fin du mandat (%(end)s) ne peut pas précéder son début (%(start)s).",
            code="mandate_end_on",
            params={
                "end": mandate_end_on.strftime("%d/%m/%Y"),
                "start": representative.mandate_start_on.strftime("%d/%m/%Y"),
            },
        )
    if representative.mandate_end_on is not None and mandate_end_on > representative.mandate_end_on:
        raise ValidationError(
            "La fin anticipée du mandat (%(end)s) ne peut pas dépasser sa fin actuelle (%(current)s).",
            code="mandate_end_on",
            params={
                "end": mandate_end_on.strftime("%d/%m/%Y"),
                "current": representative.mandate_end_on.strftime("%d/%m/%Y"),
            },
        )
    representative.mandate_end_on = mandate_end_on
    representative.save(update_fields=["mandate_end_on"])
    return representative
