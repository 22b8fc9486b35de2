"""The events' part of the demo: the Mois de l'ESS of November 2025 and 2026 with several events and their
attendance, the Prix coup de cœur ESS 2025 (categories, candidates, jury, two laureates committed and paid through
funding), a marché de Noël solidaire, two petits déjeuners ESS and the GSEF participations (Dakar 2023, the 2025
bid). Through the services, idempotent by natural keys: loading again adds nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from actors.models import Actor, Commune
from events import services
from events.enums import EventKind, GsefKind
from events.models import GsefParticipation, JuryMember, PrizeCandidate, PrizeCategory, PrizeEdition
from quadripartite.models import Partner

D = datetime.date
# kind, title, start, end, place, INSEE code, action, public, attendance (élus, agents, public) or None, partners
EVENTS = [
    (EventKind.MOIS_ESS, "Ouverture du Mois de l’ESS 2025", D(2025, 11, 3), None, "Hôtel de Métropole", "33063", "2.6",
     True, (12, 25, 140), ["region-nouvelle-aquitaine", "departement-gironde", "bordeaux-metropole"]),
    (EventKind.FORMATION_REFERENTS, "Formation des référents ESS des communes", D(2025, 11, 13), None,
     "Cité municipale", "33063", "3.2", False, (9, 31, 0), ["bordeaux-metropole"]),
    (EventKind.VISITE_APPRENANTE, "Visite apprenante : tiers-lieux de la rive droite", D(2025, 11, 20), None,
     "Darwin", "33063", "3.3", False, (4, 18, 0), ["bordeaux-metropole", "ville-de-bordeaux"]),
    (EventKind.PRIX_COUP_DE_COEUR, "Cérémonie du Prix coup de cœur ESS 2025", D(2025, 11, 27), None,
     "Rocher de Palmer", "33119", "2.6", True, (15, 12, 210), ["bordeaux-metropole", "region-nouvelle-aquitaine"]),
    (EventKind.PETIT_DEJEUNER, "Petit déjeuner ESS : achats responsables", D(2025, 6, 12), None,
     "Maison de l’emploi", "33281", "3.2", True, (3, 14, 38), ["bordeaux-metropole"]),
    (EventKind.COMMISSION, "Intervention en commission développement économique", D(2025, 9, 18), None,
     "Hôtel de Métropole", "33063", "3.2", False, (22, 6, 0), ["bordeaux-metropole"]),
    (EventKind.MOIS_ESS, "Ouverture du Mois de l’ESS 2026", D(2026, 11, 2), None, "Hôtel de Métropole", "33063", "2.6",
     True, (14, 27, 165), ["region-nouvelle-aquitaine", "departement-gironde", "bordeaux-metropole"]),
    (EventKind.FORUM, "Forum ESS de la Métropole", D(2026, 11, 17), D(2026, 11, 18), "Hangar 14", "33063", "3.1.1",
     True, (18, 40, 420), ["region-nouvelle-aquitaine", "departement-gironde", "bordeaux-metropole",
                          "ville-de-bordeaux"]),
    (EventKind.PETIT_DEJEUNER, "Petit déjeuner ESS : emploi et insertion", D(2026, 11, 24), None,
     "Pôle emploi de Mérignac", "33281", "3.2", True, (2, 11, 29), ["bordeaux-metropole"]),
    (EventKind.MARCHE_NOEL, "Marché de Noël solidaire", D(2026, 12, 12), D(2026, 12, 20), "Place Pey-Berland",
     "33063", "3.1.1", True, None, ["bordeaux-metropole", "ville-de-bordeaux"]),
]  # fmt: skip

PRIZE_YEAR = 2025
# category: actor indexes (Actor.objects.order_by("pk")), the first one wins the prize
CATEGORIES = [("Innovation sociale", [0, 2, 4]), ("Transition écologique", [1, 3, 5])]
PRIZE_AMOUNT = Decimal("3000")
JURY = [
    ("Claire Dupuy", "Bordeaux Métropole, vice-présidente ESS"),
    ("Marc Lafitte", "Région Nouvelle-Aquitaine"),
    ("Sophie Arnaud", "CRESS Nouvelle-Aquitaine"),
    ("Karim Benali", "France Active Nouvelle-Aquitaine"),
]

GSEF = [
    (GsefKind.FORUM, "Forum mondial GSEF 2023 à Dakar", D(2023, 5, 1), "Dakar (Sénégal)",
     "Vice-présidente ESS\nChargée de mission ESS", "Atelier sur les politiques publiques locales d’ESS."),
    (GsefKind.GENERAL_ASSEMBLY, "Assemblée générale du GSEF", D(2023, 5, 4), "Dakar (Sénégal)",
     "Vice-présidente ESS", "Adhésion renouvelée ; Bordeaux Métropole se porte candidate pour 2025."),
    (GsefKind.BID, "Candidature de Bordeaux à l’accueil du GSEF 2025", D(2024, 2, 15), "Séoul (visioconférence)",
     "Vice-présidente ESS\nDirectrice du développement économique", "Dossier de candidature présenté au conseil."),
]  # fmt: skip


def load_events_demo(*, staff) -> None:
    actors = list(Actor.objects.order_by("pk")[:8])
    communes = {commune.insee_code: commune for commune in Commune.objects.all()}
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    today = timezone.localdate()
    events = {}
    for kind, title, starts_on, ends_on, place, insee, action, is_public, attendance, slugs in EVENTS:
        event = services.create_event(
            by=staff,
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place,
            commune=communes.get(insee),
            plan_action_code=action,
            is_public=is_public,
            description="",
            organising_partners=[partners[slug] for slug in slugs if slug in partners],
            organising_communes=[communes[insee]] if insee in communes else [],
            actors=actors[:3],
        )
        if attendance and not event.has_attendance and event.starts_on <= today:
            elected, agents, public = attendance
            event.record_attendance(elected=elected, staff=agents, public=public, today=today)
        events[kind, starts_on.year] = event
    _load_prize(actors=actors, ceremony=events.get((EventKind.PRIX_COUP_DE_COEUR, PRIZE_YEAR)), staff=staff)
    for kind, title, held_on, place, attendees, notes in GSEF:
        GsefParticipation.objects.get_or_create(
            title=title,
            held_on=held_on,
            defaults={"kind": kind, "place": place, "attendees": attendees, "notes": notes, "created_by": staff},
        )


def _load_prize(*, actors, ceremony, staff) -> None:
    if len(actors) < 6:
        return
    edition, _ = PrizeEdition.objects.get_or_create(year=PRIZE_YEAR, defaults={"ceremony": ceremony})
    for name, organisation in JURY:
        JuryMember.objects.get_or_create(edition=edition, name=name, defaults={"organisation": organisation})
    for position, (name, indexes) in enumerate(CATEGORIES):
        category, _ = PrizeCategory.objects.get_or_create(edition=edition, name=name, defaults={"position": position})
        for index in indexes:
            PrizeCandidate.objects.get_or_create(category=category, actor=actors[index])
        laureate = services.award_prize(category=category, actor=actors[indexes[0]], amount=PRIZE_AMOUNT, by=staff)
        services.pay_prize(
            laureate=laureate,
            paid_on=datetime.date(PRIZE_YEAR, 12, 15),
            payment_order_number=f"M-{PRIZE_YEAR}-PCC-{position + 1}",
            by=staff,
        )
