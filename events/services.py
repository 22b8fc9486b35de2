"""Writes of the events app that span several models or spend money: an event with its organisers and actors, the
prize's laureates, committed and paid on the year's « Études et frais de communication » line through funding, and
the GSEF documents.

Why that line: the plan organises the Prix coup de cœur ESS every year during the Mois de l'ESS under action 2.6
« Communication autour des actions ESS », whose operating line is « Études et frais de communication »; the grant
lines (« Soutiens directs aux projets »…) are spent by instructed applications, which a prize awarded by a jury is not.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from actors.models import Actor
from ess_portal.uploads import check_upload
from events.models import Event, GsefDocument, GsefParticipation, Laureate, PrizeCandidate, PrizeCategory
from funding.enums import CommitmentKind, PaymentKind
from funding.models import BudgetLine, Payment
from funding.services import add_payment, commit_spending

PRIZE_LINE_CODE = "etudes-communication"


def prize_line(year: int) -> BudgetLine:
    line = BudgetLine.objects.filter(year=year, code=PRIZE_LINE_CODE).first()
    if line is None:
        raise ValidationError(
            "Aucune ligne « Études et frais de communication » au budget %(year)s pour payer les prix.",
            code="year",
            params={"year": year},
        )
    return line


@transaction.atomic
def create_event(*, by, organising_partners=(), organising_communes=(), actors=(), **fields) -> Event:
    """Record an event with its organisers (partners of the convention, communes) and the actors involved; an event
    of the same title on the same day is returned as it is (a double submit, the demo loaded again)."""
    event = Event.objects.filter(title=fields["title"], starts_on=fields["starts_on"]).first()
    if event is not None:
        return event
    event = Event(created_by=by, **fields)
    event.full_clean()
    event.save()
    event.organising_partners.set(organising_partners)
    event.organising_communes.set(organising_communes)
    event.actors.set(actors)
    return event


@transaction.atomic
def award_prize(*, category: PrizeCategory, actor: Actor, amount: Decimal, by) -> Laureate:
    """Make a candidate of `category` a laureate and commit the prize on the edition year's line, never beyond its
    voted amount (funding's conditional update refuses it with the figures). Awarding the same candidate again
    returns the existing laureate."""
    candidate = PrizeCandidate.objects.filter(category=category, actor=actor).select_related("actor").first()
    if candidate is None:
        raise ValidationError(
            "« %(actor)s » n’est pas candidat dans la catégorie « %(category)s » : "
            "seul un candidat peut être lauréat.",
            code="not_candidate",
            params={"actor": actor.name, "category": category.name},
        )
    existing = Laureate.objects.filter(candidate=candidate).first()
    if existing is not None:
        return existing
    year = category.edition.year
    commitment = commit_spending(
        budget_line=prize_line(year),
        kind=CommitmentKind.PRIZE,
        amount=amount,
        label=f"Prix coup de cœur ESS {year} – {category.name}",
        by=by,
        idempotency_key=f"events-prize:{candidate.pk}",
        beneficiary=candidate.actor,
    )
    return Laureate.objects.create(candidate=candidate, amount=commitment.amount, commitment=commitment, awarded_by=by)


@transaction.atomic
def pay_prize(*, laureate: Laureate, paid_on: datetime.date, payment_order_number: str, by) -> Payment:
    """Pay the whole prize at once (a single payment with its mandate number); paying again returns the payment."""
    return add_payment(
        commitment=laureate.commitment,
        amount=laureate.amount,
        kind=PaymentKind.SINGLE,
        by=by,
        paid_on=paid_on,
        payment_order_number=payment_order_number,
        idempotency_key=f"events-prize-payment:{laureate.pk}",
    )


@transaction.atomic
def add_gsef_document(*, participation: GsefParticipation, upload, by) -> GsefDocument:
    """Keep a document of a GSEF participation, checked on its content like every upload of the portal."""
    kind = check_upload(upload)
    return GsefDocument.objects.create(
        participation=participation,
        file=upload,
        original_name=upload.name,
        content_type=kind.content_type,
        uploaded_by=by,
    )
