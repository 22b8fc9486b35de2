"""The foncière's part of the demo: three properties in three communes let to demo structures (the first one acts
for the demo applicant), the 2023 capitalisation instalment, and the comité d'engagement: needs for premises, a past
sitting with its three opinions and the next sitting with the demo applicant's need on its agenda. Through the
services, idempotent by natural keys: loading again adds nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from actors.models import Actor, Commune
from fonciere import committee_services, services
from fonciere.enums import CommitteeDecision, PropertyUse, Tenure
from fonciere.models import CommitteeSitting, Lease, PremisesRequest, Property

PROPERTIES = [
    # name, address, INSEE code, latitude, longitude, m², use, tenure, acquisition price, works
    (
        "Halle Bastide Solidaire",
        "12 quai de Queyries",
        "33063",
        "44.846100",
        "-0.558300",
        "620",
        PropertyUse.THIRD_PLACE,
        Tenure.HELD,
        "910000",
        "140000",
    ),
    (
        "Ateliers des Terres Neuves",
        "5 rue Marc Sangnier",
        "33039",
        "44.801900",
        "-0.548700",
        "480",
        PropertyUse.ACTIVITY,
        Tenure.HELD,
        "540000",
        "60000",
    ),
    (
        "Bureaux Mérignac Solidaire",
        "40 avenue de la Somme",
        "33281",
        "44.838400",
        "-0.645600",
        "300",
        PropertyUse.OFFICES,
        Tenure.MANAGEMENT_MANDATE,
        None,
        "0",
    ),
]
# property index, actor index (Actor.objects.order_by("pk")), m², start, end, rent, market rent, signed on
LEASES = [
    (0, 0, "180", datetime.date(2023, 9, 1), None, "70", "130", datetime.date(2023, 7, 10)),
    (0, 3, "240", datetime.date(2024, 1, 1), datetime.date(2026, 12, 31), "60", "130", datetime.date(2023, 11, 20)),
    (1, 4, "300", datetime.date(2024, 3, 1), None, "45", "85", datetime.date(2024, 2, 1)),
    (2, 5, "150", datetime.date(2024, 6, 1), datetime.date(2027, 5, 31), "110", "165", datetime.date(2024, 5, 15)),
]


def load_fonciere_demo(*, staff) -> None:
    actors = list(Actor.objects.order_by("pk")[:6])
    properties = []
    for name, address, insee, lat, lon, surface, use, tenure, price, works in PROPERTIES:
        property, _ = Property.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "commune": Commune.objects.get(insee_code=insee),
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "surface": Decimal(surface),
                "use": use,
                "tenure": tenure,
                "acquisition_price": Decimal(price) if price else None,
                "works_amount": Decimal(works),
            },
        )
        properties.append(property)
    for property_index, actor_index, surface, starts_on, ends_on, rent, market_rent, signed_on in LEASES:
        if actor_index >= len(actors):
            continue
        property, occupant = properties[property_index], actors[actor_index]
        if Lease.objects.filter(property=property, occupant=occupant, starts_on=starts_on).exists():
            continue
        services.create_lease(
            property=property,
            occupant=occupant,
            surface=Decimal(surface),
            starts_on=starts_on,
            ends_on=ends_on,
            rent=Decimal(rent),
            market_rent=Decimal(market_rent),
            signed_on=signed_on,
            by=staff,
        )
    services.capitalise(
        amount=Decimal("1000000.00"),
        paid_on=datetime.date(2023, 3, 15),
        year=2023,
        deliberation_number="2023-0112",
        deliberation_on=datetime.date(2023, 2, 10),
        by=staff,
        idempotency_key="demo-2023-1",
    )
    load_committee_demo(actors=list(Actor.objects.order_by("pk")[:9]), properties=properties, staff=staff)


# actor index, m², use, INSEE code of the commune wished, yearly budget, description, expressed on
NEEDS = [
    (
        6,
        "150",
        PropertyUse.ACTIVITY,
        "33039",
        "9000",
        "Atelier et stockage de matériaux du BTP de réemploi.",
        (2025, 6, 3),
    ),
    (
        7,
        "80",
        PropertyUse.RETAIL,
        "33063",
        "8000",
        "Épicerie solidaire de quartier avec un espace de distribution.",
        (2025, 7, 8),
    ),
    (
        8,
        "900",
        PropertyUse.LOGISTICS,
        "33281",
        "20000",
        "Entrepôt de cyclologistique pour le dernier kilomètre.",
        (2025, 9, 2),
    ),
    (
        0,
        "120",
        PropertyUse.LOGISTICS,
        "33063",
        "10000",
        "Remisage de vélos-cargos et atelier d’entretien.",
        (2026, 11, 4),
    ),
]
PAST_SITTING = datetime.date(2025, 10, 14)
NEXT_SITTING = datetime.date(2027, 1, 19)
# need index → (decision, property index or None, reason) at the past sitting
OPINIONS = {
    0: (CommitteeDecision.FAVOURABLE, 1, "Surface vacante disponible aux Ateliers des Terres Neuves."),
    1: (CommitteeDecision.ADJOURNED, None, "Le comité attend le plan de financement 2026 du projet."),
    2: (CommitteeDecision.UNFAVOURABLE, None, "Aucun bien de la foncière n’offre 900 m² de logistique à ce jour."),
}


def load_committee_demo(*, actors, properties, staff) -> None:
    if len(actors) < 9 or CommitteeSitting.objects.filter(held_on=PAST_SITTING).exists():
        return
    needs = []
    for actor_index, surface, use, insee, budget, description, expressed_on in NEEDS:
        actor = actors[actor_index]
        member = actor.memberships.select_related("user").first()
        need = committee_services.express_need(
            actor=actor,
            by=member.user if member else staff,
            surface_needed=Decimal(surface),
            use=use,
            commune=Commune.objects.get(insee_code=insee),
            filiere=actor.filieres.order_by("code").first(),
            yearly_budget=Decimal(budget),
            description=description,
        )
        # The demo tells a story over time: the need was expressed before the sitting that examined it.
        PremisesRequest.objects.filter(pk=need.pk).update(
            created_at=timezone.make_aware(datetime.datetime(*expressed_on, 10))
        )
        needs.append(need)
    past = committee_services.hold_sitting(
        held_on=PAST_SITTING,
        place="Cité municipale, Bordeaux",
        attendees="Bordeaux Métropole (vice-présidence ESS, service ESS)\nFoncière solidaire\n"
        "CRESS Nouvelle-Aquitaine",
        minutes="Trois projets examinés : un bien proposé, un projet ajourné, un avis défavorable faute de bien "
        "adapté.",
        by=staff,
    )
    for need_index, (decision, property_index, reason) in OPINIONS.items():
        proposal = committee_services.put_on_agenda(sitting=past, need=needs[need_index])
        committee_services.decide(
            proposal=proposal,
            decision=decision,
            property=properties[property_index] if property_index is not None else None,
            reason=reason,
            by=staff,
        )
    upcoming = committee_services.hold_sitting(held_on=NEXT_SITTING, place="Cité municipale, Bordeaux", by=staff)
    committee_services.put_on_agenda(sitting=upcoming, need=needs[3])
