"""The actors' demo data: fictitious ESS structures, their agréments and contacts, a tête de filière per filière.

Everything is deterministic (fixed seeds, natural keys), so loading it again updates the same rows.
"""

import json
import random
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from stdnum import luhn

from actors.enums import AgrementKind, LocationPrecision, SiaeType
from actors.models import Actor, Agrement, Commune, Contact
from actors.reference import communes as commune_rows
from filieres.models import Filiere, HeadOfNetwork, Segment

DEMO_ACTORS_FILE = Path(__file__).resolve().parent / "data" / "demo_actors.json"
PARIS = ZoneInfo("Europe/Paris")

STREETS = [
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "place de la Mairie",
    "rue du Stade",
    "avenue de la Libération",
    "rue des Écoles",
    "chemin du Moulin",
    "rue Pasteur",
    "allée des Tilleuls",
]


def demo_siret(index: int) -> str:
    """A valid but fictitious SIRET: SIREN 951xxxxx + Luhn key, NIC 0001 + Luhn key."""
    siren = f"9{5100000 + index:07d}"
    siren += luhn.calc_check_digit(siren)
    siret = f"{siren}0001"
    return siret + luhn.calc_check_digit(siret)


def demo_actor_values(index: int, row: dict, commune: Commune, postal_code: str) -> dict:
    rng = random.Random(f"ess-demo-actor-{index}")
    # Within ~700 m of the commune centre, so pins stay in the right commune.
    latitude = commune.latitude + Decimal(rng.uniform(-0.006, 0.006)).quantize(Decimal("0.00001"))
    longitude = commune.longitude + Decimal(rng.uniform(-0.008, 0.008)).quantize(Decimal("0.00001"))
    return {
        "name": row["name"],
        "legal_form": row["legal_form"],
        "commune": commune,
        "address": f"{rng.randint(1, 120)} {STREETS[index % len(STREETS)]}",
        "postal_code": postal_code,
        "latitude": latitude,
        "longitude": longitude,
        "fte": Decimal(rng.randint(10, 450)) / 10,
        "founded_year": rng.randint(1990, 2022),
        "description": f"Structure fictive (données de démonstration). {row['activity']}",
        # About 70 % of the structures opt into the public directory.
        "is_public": index % 10 < 7,
        "is_archived": False,
        "location_precision": LocationPrecision.MANUAL,
        "verified_at": datetime(2026, 1, 5, 9, 0, tzinfo=PARIS),
    }


def load_actors() -> list[Actor]:
    communes = list(Commune.objects.order_by("insee_code"))
    postal_codes = {row["insee_code"]: row["postal_code"] for row in commune_rows()}
    filieres = {filiere.code: filiere for filiere in Filiere.objects.all()}
    segments = {(segment.filiere.code, segment.slug): segment for segment in Segment.objects.select_related("filiere")}
    actors = []
    for index, row in enumerate(json.loads(DEMO_ACTORS_FILE.read_text(encoding="utf-8"))):
        commune = communes[index % len(communes)]
        actor, _ = Actor.objects.update_or_create(
            siret=demo_siret(index),
            defaults=demo_actor_values(index, row, commune, postal_codes[commune.insee_code]),
        )
        actor.filieres.set([filieres[row["filiere"]]])
        actor.segments.set([segments[(row["filiere"], row["segment"])]])
        actors.append(actor)
    return actors


# Agréments by actor index: (kind, SIAE type, obtained on, expires on). Deterministic and plausible.
DEMO_AGREMENTS = {
    0: [(AgrementKind.ESUS, "", "2023-03-01", "2028-02-29")],
    1: [(AgrementKind.ESUS, "", "2022-09-15", "2027-09-14")],
    4: [(AgrementKind.SIAE, SiaeType.ACI, "2021-01-01", None)],
    5: [(AgrementKind.SIAE, SiaeType.EI, "2019-06-01", None)],
    7: [(AgrementKind.EA, "", "2018-04-01", None)],
    9: [(AgrementKind.ESAT, "", "2005-01-01", None)],
    10: [(AgrementKind.SIAE, SiaeType.ACI, "2020-01-01", None), (AgrementKind.ESUS, "", "2021-05-01", "2026-04-30")],
    12: [(AgrementKind.SIAE, SiaeType.ETTI, "2022-02-01", None)],
    15: [(AgrementKind.SIAE, SiaeType.AI, "2017-09-01", None)],
    18: [(AgrementKind.EA, "", "2016-01-01", None)],
    21: [(AgrementKind.ESUS, "", "2024-01-10", "2029-01-09")],
    25: [(AgrementKind.SIAE, SiaeType.EITI, "2023-07-01", None)],
    30: [(AgrementKind.ESAT, "", "2010-01-01", None)],
}
FIRST_NAMES = ["Camille", "Dominique", "Alix", "Sasha", "Charlie", "Morgane", "Lou", "Noa", "Maxime", "Robin"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Laurent", "Garcia", "Lefèvre", "Moreau", "Fontaine", "Girard", "Roux"]
ROLES = ["Directeur·rice", "Coordinateur·rice", "Président·e", "Chargé·e de développement"]


def load_actor_details(actors: list[Actor]) -> None:
    """Agréments, one fictitious contact per structure, and one tête de filière per filière."""
    for index, actor in enumerate(actors):
        for kind, siae_type, obtained_on, expires_on in DEMO_AGREMENTS.get(index, []):
            Agrement.objects.update_or_create(
                actor=actor,
                kind=kind,
                defaults={"siae_type": siae_type, "obtained_on": obtained_on, "expires_on": expires_on},
            )
        first, last = FIRST_NAMES[index % 10], LAST_NAMES[(index * 3) % 10]
        Contact.objects.update_or_create(
            actor=actor,
            email=f"contact{index}@exemple.fr",
            defaults={
                "name": f"{first} {last} (fictif)",
                "role": ROLES[index % len(ROLES)],
                "phone": f"05 56 00 {index // 10:02d} {index % 100:02d}",
                "is_public": index % 3 == 0,
            },
        )
    for filiere in Filiere.objects.all():
        head = next((actor for actor in actors if filiere in actor.filieres.all()), None)
        if head is not None:
            HeadOfNetwork.objects.update_or_create(
                filiere=filiere, actor=head, defaults={"role_description": "Tête de réseau (démonstration)"}
            )
