"""Demo data of the ASR directory: published suppliers in each of the sectors buyers look for (cleaning and waste,
catering, construction and repair, printing, IT reuse, logistics), with EA, ESAT and SIAE agréments among them so
that the reserved-contract filters find someone, plus one listing waiting for staff, one draft and one expired;
a consultation list of the demo buyer shared with the ESS service; two exports of the demo buyer in the export log.

Idempotent: the actor is the natural key; an existing listing is left as it is (someone may have changed it).
The three logistics suppliers of the sourcing demo are in `procurement/sourcing/demo.py`.
"""

from datetime import timedelta

from django.utils import timezone

from actors.models import Actor, Commune
from procurement.asr.exports import COLUMNS
from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList, ExportLog
from procurement.cpv.models import CpvCode
from procurement.enums import ExportFormat, ListingStatus, RevenueBand

# Index in the demo actors, offers, CPV codes, communes served (empty: the whole métropole), revenue band,
# references of public contracts, status, days since the last verification.
DEMO_LISTINGS = [
    (
        5,
        "Blanchisserie et repassage du linge professionnel (restaurants, crèches, EHPAD), collecte et livraison "
        "comprises.",
        ["983", "9831"],
        ["Blanquefort", "Bordeaux", "Le Bouscat", "Eysines"],
        RevenueBand.FROM_100K,
        "Ville de Blanquefort, linge des crèches municipales, 2024.",
        ListingStatus.PUBLISHED,
        30,
    ),
    (
        7,
        "Préparation et livraison de plateaux-repas et de buffets pour réunions ; traiteur solidaire.",
        ["555", "5552", "55524"],
        [],
        RevenueBand.FROM_100K,
        "",
        ListingStatus.PUBLISHED,
        60,
    ),
    (
        9,
        "Entretien des espaces verts, tonte, taille de haies ; collecte et compostage des déchets verts.",
        ["77313", "9051"],
        ["Bruges", "Le Bouscat", "Bordeaux", "Blanquefort"],
        RevenueBand.FROM_100K,
        "Bordeaux Métropole, entretien des bassins de rétention, 2023-2025.",
        ListingStatus.PUBLISHED,
        90,
    ),
    (
        10,
        "Isolation en chanvre et chaux, enduits, petite maçonnerie de rénovation énergétique.",
        ["4545", "45453"],
        [],
        RevenueBand.FROM_500K,
        "Bailleur social Gironde Habitat, réhabilitation de 24 logements, 2025.",
        ListingStatus.PUBLISHED,
        120,
    ),
    (
        15,
        "Boulangerie : pains et viennoiseries pour la restauration collective, livraison quotidienne.",
        ["15"],
        ["Le Haillan", "Mérignac", "Eysines", "Saint-Médard-en-Jalles"],
        RevenueBand.FROM_100K,
        "",
        ListingStatus.PUBLISHED,
        15,
    ),
    (
        18,
        "Couverture, zinguerie et réparation de toitures ; nettoyage de gouttières.",
        ["4521", "454"],
        ["Mérignac", "Pessac", "Talence", "Bordeaux"],
        RevenueBand.FROM_500K,
        "Ville de Mérignac, entretien des toitures des écoles, 2024-2026.",
        ListingStatus.PUBLISHED,
        45,
    ),
    (
        19,
        "Impression offset et numérique, reprographie, façonnage, affiches et brochures sur papier recyclé.",
        ["79", "798", "7982"],
        [],
        RevenueBand.FROM_500K,
        "Bordeaux Métropole, impression du magazine des communes, 2022-2025.",
        ListingStatus.PUBLISHED,
        200,
    ),
    (
        25,
        "Collecte et tri des déchets de chantier, réemploi de matériaux de construction, location de bennes.",
        ["905", "9051", "90512"],
        [],
        RevenueBand.FROM_500K,
        "",
        ListingStatus.PUBLISHED,
        75,
    ),
    (
        30,
        "Petits travaux de peinture et de second œuvre, montage de mobilier, entretien de locaux.",
        ["454", "4544", "909", "9091", "90911"],
        ["Artigues-près-Bordeaux", "Cenon", "Floirac", "Lormont", "Bassens"],
        RevenueBand.UNDER_100K,
        "Ville de Cenon, entretien de trois gymnases, 2025.",
        ListingStatus.PUBLISHED,
        10,
    ),
    (
        49,
        "Reconditionnement de postes informatiques, reprise et effacement certifié des parcs, revente de matériel.",
        ["30", "302", "3021", "30213", "5032"],
        [],
        RevenueBand.UNDER_100K,
        "",
        ListingStatus.PUBLISHED,
        345,  # expires within a month: in the staff's « à revérifier » tab
    ),
    (
        27,
        "Retouches et confection de textiles, vêtements de travail, sacs en tissu de réemploi.",
        ["18", "19"],
        ["Villenave-d'Ornon", "Talence", "Bègles"],
        RevenueBand.UNDER_100K,
        "",
        ListingStatus.SUBMITTED,
        None,
    ),
    (
        33,
        "Ressourcerie : collecte d’encombrants, vente d’objets de réemploi, ateliers de réparation.",
        ["9051", "90511"],
        ["Blanquefort", "Bruges"],
        RevenueBand.UNDER_100K,
        "",
        ListingStatus.DRAFT,
        None,
    ),
    (
        37,
        "Recyclerie : collecte de mobilier de bureau et d’équipements, vente en seconde main.",
        ["39", "9051"],
        ["Bruges"],
        RevenueBand.UNDER_100K,
        "",
        ListingStatus.EXPIRED,
        400,
    ),
]


# A tender being prepared: (index in the demo actors, the buyer's note).
DEMO_CONSULTATION = [
    (9, "ESAT : marché réservé possible (art. L2113-12). Références bassins de rétention à demander."),
    (25, "Location de bennes et réemploi des déchets verts broyés ? À appeler avant le 15 janvier."),
    (30, "Petits travaux seulement ; intervient sur la rive droite."),
]


def load_listings_demo(*, actors: list[Actor], buyer, colleague) -> None:
    today = timezone.localdate()
    for index, offers, codes, communes, band, references, status, days in DEMO_LISTINGS:
        listing, created = AsrListing.objects.get_or_create(
            actor=actors[index],
            defaults={
                "offers": offers,
                "serves_whole_metropole": not communes,
                "revenue_band": band,
                "public_contract_references": references,
                "status": status,
                "last_verified_on": None if days is None else today - timedelta(days=days),
            },
        )
        if created:
            listing.cpv_codes.set(CpvCode.objects.filter(code__in=codes))
            listing.communes.set(Commune.objects.filter(name__in=communes))
            listing.refresh_search_text()
            listing.save(update_fields=["search_text"])
    if not ExportLog.objects.filter(user=buyer).exists():
        ExportLog.objects.create(
            user=buyer,
            filters={"cpv": "90", "article": "L2113-13"},
            columns=[column.key for column in COLUMNS],
            row_count=1,
            file_format=ExportFormat.CSV,
        )
        ExportLog.objects.create(
            user=buyer,
            filters={"commune": "33281"},
            columns=["nom", "siret", "offre", "cpv", "communes"],
            row_count=10,
            file_format=ExportFormat.XLSX,
        )
    consultation, created = ConsultationList.objects.get_or_create(
        owner=buyer,
        name="Entretien des espaces verts des parcs 2027",
        defaults={"notes": "Marché à lancer au printemps ; lot réservé envisagé (art. L2113-12 ou L2113-13)."},
    )
    if created:
        consultation.shared_with.add(colleague)
        for index, note in DEMO_CONSULTATION:
            ConsultationEntry.objects.create(
                consultation_list=consultation, listing=AsrListing.objects.get(actor=actors[index]), note=note
            )
