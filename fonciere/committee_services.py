"""Writes of the comité d'engagement: a structure's need for premises, the sittings, their agenda and the comité's
opinion on each need (a favourable one may match the need with a property of the foncière)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from ess_portal.formatting import format_number
from fonciere.committee_models import CommitteeProposal, CommitteeSitting, PremisesRequest
from fonciere.enums import CommitteeDecision, PremisesRequestStatus

STATUS_AFTER_DECISION = {
    CommitteeDecision.FAVOURABLE: PremisesRequestStatus.FAVOURABLE,
    CommitteeDecision.UNFAVOURABLE: PremisesRequestStatus.UNFAVOURABLE,
    # An adjourned need goes back to the list of needs a later sitting can examine.
    CommitteeDecision.ADJOURNED: PremisesRequestStatus.OPEN,
}


def _acts_for(user, actor) -> bool:
    return user.memberships.active().filter(actor=actor).exists()


def express_need(
    *,
    actor,
    by,
    surface_needed: Decimal,
    use: str,
    description: str,
    commune=None,
    filiere=None,
    yearly_budget: Decimal | None = None,
    needed_from: datetime.date | None = None,
    application=None,
) -> PremisesRequest:
    """Record a structure's need for premises; an applicant only for a structure they act for."""
    if by.has_role(Role.APPLICANT) and not by.has_role(Role.STAFF) and not _acts_for(by, actor):
        raise ValidationError("Vous n’agissez pas pour cette structure.", code="actor")
    if application is not None and application.actor_id != actor.pk:
        raise ValidationError("La demande d’aide liée doit être une demande de la même structure.", code="application")
    need = PremisesRequest(
        actor=actor,
        application=application,
        surface_needed=surface_needed,
        use=use,
        description=description,
        commune=commune,
        filiere=filiere,
        yearly_budget=yearly_budget,
        needed_from=needed_from,
        submitted_by=by,
    )
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def withdraw_need(*, need: PremisesRequest, by) -> PremisesRequest:
    """Withdraw a need not examined yet; it leaves the agenda of the sitting it was on."""
    need = PremisesRequest.objects.select_for_update().get(pk=need.pk)
    if not need.can_be_withdrawn:
        raise ValidationError(
            "Ce besoin a déjà reçu l’avis du comité (« %(status)s ») : il ne peut plus être retiré.",
            code="status",
            params={"status": need.get_status_display()},
        )
    need.proposals.filter(decision=CommitteeDecision.PENDING).delete()
    need.status = PremisesRequestStatus.WITHDRAWN
    need._change_reason = f"Retiré par {by}"
    need.save(update_fields=["status"])
    return need


def hold_sitting(*, held_on: datetime.date, by, place: str = "", attendees: str = "", minutes: str = ""):
    return CommitteeSitting.objects.create(
        held_on=held_on, place=place, attendees=attendees, minutes=minutes, created_by=by
    )


def update_sitting(*, sitting: CommitteeSitting, **fields) -> CommitteeSitting:
    if "held_on" in fields and fields["held_on"] != sitting.held_on:
        if sitting.proposals.exclude(decision=CommitteeDecision.PENDING).exists():
            raise ValidationError(
                "Des avis ont été rendus à cette séance : sa date ne peut plus changer.", code="held_on"
            )
    for name, value in fields.items():
        setattr(sitting, name, value)
    sitting.save()
    return sitting


@transaction.atomic
def put_on_agenda(*, sitting: CommitteeSitting, need: PremisesRequest) -> CommitteeProposal:
    """Inscribe a need awaiting the comité on a sitting's agenda."""
    need = PremisesRequest.objects.select_for_update().get(pk=need.pk)
    if need.status != PremisesRequestStatus.OPEN:
        raise ValidationError(
            "Ce besoin n’est pas à présenter au comité (état : « %(status)s »).",
            code="request",
            params={"status": need.get_status_display()},
        )
    proposal = CommitteeProposal.objects.create(sitting=sitting, request=need)
    need.status = PremisesRequestStatus.ON_AGENDA
    need.save(update_fields=["status"])
    return proposal


@transaction.atomic
def decide(*, proposal: CommitteeProposal, decision: str, by, property=None, reason: str = "") -> CommitteeProposal:
    """Record the comité's opinion on a need of its agenda, once, on or after the sitting's day."""
    proposal = CommitteeProposal.objects.select_for_update().select_related("sitting").get(pk=proposal.pk)
    need = PremisesRequest.objects.select_for_update().get(pk=proposal.request_id)
    if proposal.decision != CommitteeDecision.PENDING:
        raise ValidationError("L’avis du comité sur ce besoin est déjà enregistré.", code="decision")
    if proposal.sitting.held_on > timezone.localdate():
        raise ValidationError(
            "La séance du %(day)s n’a pas encore eu lieu : son avis ne peut pas être saisi avant.",
            code="decision",
            params={"day": proposal.sitting.held_on.strftime("%d/%m/%Y")},
        )
    if decision not in STATUS_AFTER_DECISION:
        raise ValidationError("Choisissez l’avis du comité.", code="decision")
    if property is not None:
        if decision != CommitteeDecision.FAVOURABLE:
            raise ValidationError("Un bien n’est proposé qu’avec un avis favorable.", code="property")
        if property.surface < need.surface_needed:
            raise ValidationError(
                "Le bien « %(property)s » (%(surface)s m²) est plus petit que la surface recherchée (%(need)s m²).",
                code="property",
                params={
                    "property": property.name,
                    "surface": format_number(property.surface, 2),
                    "need": format_number(need.surface_needed, 2),
                },
            )
    if decision == CommitteeDecision.UNFAVOURABLE and not reason.strip():
        raise ValidationError("Indiquez le motif de l’avis défavorable, communiqué à la structure.", code="reason")
    proposal.decision = decision
    proposal.property = property
    proposal.reason = reason
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()
    need.status = STATUS_AFTER_DECISION[decision]
    need.matched_property = property
    need.save(update_fields=["status", "matched_property"])
    return proposal
