"""The quadripartite part of the demo: the demo partner account belongs to the Région; the 2021 convention and
its 2024 amendment; two years of steering and follow-up committees (2025, 2026) with attendees, minutes and
decisions — some done, some late — and the next follow-up committee. Through the services, idempotent: loading
again adds nothing."""

import datetime

from quadripartite import services
from quadripartite.enums import Audience, CommitteeKind, ConventionDocumentKind
from quadripartite.models import ConventionDocument, Meeting, Partner, PartnerMember

# committee, date, place, agenda, minutes, decisions [(text, owner slug, due date, done date)]
MEETINGS = [
    (
        CommitteeKind.FOLLOW_UP,
        datetime.date(2025, 2, 11),
        "Palais Rohan, Bordeaux",
        "Alignement des dispositifs de soutien ; calendrier du Mois de l’ESS 2025.",
        "Les techniciens ont comparé les quatre règlements d’aide et listé les doubles financements possibles.",
        [
            (
                "Tableau commun des dispositifs de soutien à l’ESS",
                "region-nouvelle-aquitaine",
                (2025, 5, 31),
                (2025, 5, 20),
            ),
            ("Calendrier partagé des évènements du Mois de l’ESS", "ville-de-bordeaux", (2025, 9, 30), (2025, 10, 2)),
        ],
    ),
    (
        CommitteeKind.STEERING,
        datetime.date(2025, 6, 24),
        "Palais Rohan, Bordeaux",
        "Bilan 2024 des cofinancements ; candidature au Forum mondial du GSEF.",
        "Les élus valident le principe d’un tableau commun des cofinancements, présenté à chaque comité de pilotage.",
        [
            (
                "Présenter le tableau des cofinancements 2025 au prochain comité",
                "bordeaux-metropole",
                (2026, 3, 31),
                (2026, 3, 10),
            ),
            ("Étudier un appel à projets commun sur le réemploi", "departement-gironde", (2026, 6, 30), None),
        ],
    ),
    (
        CommitteeKind.FOLLOW_UP,
        datetime.date(2025, 10, 7),
        "Palais Rohan, Bordeaux",
        "Marché de Noël solidaire ; référencement ASR des 4 collectivités.",
        "Accord pour un stand commun des quatre collectivités au marché de Noël solidaire.",
        [("Proposer une charte commune du référencement ASR", "departement-gironde", (2026, 1, 31), None)],
    ),
    (
        CommitteeKind.FOLLOW_UP,
        datetime.date(2026, 3, 10),
        "Hôtel de Région, Bordeaux",
        "Cofinancements 2025 ; préparation du comité de pilotage.",
        "Le tableau des cofinancements 2025 est partagé ; la Région organise les comités de 2026 à la place de "
        "la Métropole, mobilisée par les suites de la candidature au Forum mondial du GSEF.",
        [
            (
                "Relancer les porteurs sans réponse sur leur plan de financement",
                "ville-de-bordeaux",
                (2026, 4, 30),
                None,
            )
        ],
    ),
    (
        CommitteeKind.STEERING,
        datetime.date(2026, 6, 16),
        "Hôtel de Région, Bordeaux",
        "Bilan à mi-parcours de la convention ; suites de la candidature GSEF.",
        "Les élus demandent un bilan des projets cofinancés par au moins deux collectivités.",
        [
            ("Bilan des projets cofinancés par plusieurs collectivités", "bordeaux-metropole", (2027, 1, 31), None),
            ("Diffuser le bilan du Forum régional de l’ESS", "region-nouvelle-aquitaine", (2026, 12, 31), None),
        ],
    ),
    (
        CommitteeKind.FOLLOW_UP,
        datetime.date(2027, 1, 26),
        "Hôtel de Région, Bordeaux",
        "Programme 2027 ; passage de relais à la collectivité organisatrice de 2027.",
        "",
        [],
    ),
]
ATTENDEES = {
    "region-nouvelle-aquitaine": [("Claire Darrieux", Audience.TECHNICIAN)],
    "departement-gironde": [("Yann Lafitte", Audience.TECHNICIAN)],
    "bordeaux-metropole": [("Camille Agent", Audience.TECHNICIAN)],
    "ville-de-bordeaux": [("Inès Moreau", Audience.TECHNICIAN)],
}
STEERING_ELECTED = {
    "region-nouvelle-aquitaine": ("Élue régionale déléguée à l’ESS", Audience.ELECTED),
    "bordeaux-metropole": ("Vice-président délégué à l’ESS", Audience.ELECTED),
}


def load_quadripartite_demo(*, staff, partner_user) -> None:
    partners = {partner.slug: partner for partner in Partner.objects.all()}
    PartnerMember.objects.get_or_create(user=partner_user, defaults={"partner": partners["region-nouvelle-aquitaine"]})
    if ConventionDocument.objects.exists():
        return
    services.add_convention_document(
        kind=ConventionDocumentKind.CONVENTION,
        title="Convention quadripartite ESS Région – Département – Métropole – Ville de Bordeaux",
        signed_on=datetime.date(2021, 11, 19),
        summary="Axes d’intervention communs et chantiers à ouvrir entre les quatre collectivités.",
        by=staff,
    )
    services.add_convention_document(
        kind=ConventionDocumentKind.AMENDMENT,
        title="Avenant n° 1 : tableau commun des cofinancements",
        signed_on=datetime.date(2024, 12, 12),
        by=staff,
    )
    services.override_organiser(
        year=2026,
        partner=partners["region-nouvelle-aquitaine"],
        reason="La Métropole, mobilisée par les suites de la candidature au Forum mondial du GSEF, cède son tour.",
        by=staff,
    )
    for committee, held_on, place, agenda, minutes, decisions in MEETINGS:
        if Meeting.objects.filter(committee=committee, held_on=held_on).exists():
            continue
        attendees = [
            (partners[slug], name, audience) for slug, people in ATTENDEES.items() for name, audience in people
        ]
        if committee == CommitteeKind.STEERING:
            attendees += [(partners[slug], *person) for slug, person in STEERING_ELECTED.items()]
        meeting = services.record_meeting(
            committee=committee,
            held_on=held_on,
            place=place,
            agenda=agenda,
            minutes=minutes,
            attendees=attendees,
            by=staff,
        )
        for text, owner, due_on, done_on in decisions:
            decision = services.add_decision(
                meeting=meeting, text=text, owner=partners[owner], due_on=datetime.date(*due_on)
            )
            if done_on:
                services.mark_done(decision=decision, by=staff, done_on=datetime.date(*done_on))
