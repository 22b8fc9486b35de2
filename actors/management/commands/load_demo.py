"""Demo data for `make demo`: fictitious ESS actors, one account per role and a few applications.

Everything is deterministic (fixed seeds, natural keys), so running the command again updates the
same rows instead of adding new ones.
"""

import json
import random
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from stdnum import luhn

from accounts.enums import Role
from accounts.models import Membership, User
from actors.enums import AgrementKind, LocationPrecision, SiaeType
from actors.models import Actor, Agrement, Commune, Contact
from actors.reference import communes as commune_rows
from filieres.models import Filiere, HeadOfNetwork, Segment
from funding.demo import load_grants_demo
from procurement.demo import load_procurement_demo
from programme.demo import load_plan_demo
from programme.demo_indicators import load_indicators_demo
from programme.management.commands.load_reference import load_reference

DEMO_ACTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_actors.json"
DEMO_PASSWORD = "demo-ESS-2026!"
DEMO_DOMAIN = "demo.ess-bordeaux.fr"
PARIS = ZoneInfo("Europe/Paris")

DEMO_USERS = [
    # role, e-mail local part, first name, last name, organisation
    (Role.STAFF, "agent", "Camille", "Agent (démo)", "Bordeaux Métropole – service ESS et emploi"),
    (Role.APPLICANT, "porteur", "Sacha", "Porteur (démo)", ""),
    (Role.ELECTED, "elu", "Dominique", "Élu (démo)", "Bordeaux Métropole – vice-présidence ESS"),
    (Role.PROCUREMENT, "achats", "Alex", "Acheteur (démo)", "Bordeaux Métropole – direction des achats"),
    (Role.PARTNER, "partenaire", "Claude", "Partenaire (démo)", "Région Nouvelle-Aquitaine"),
    (Role.ADMIN, "admin", "Morgan", "Administrateur (démo)", "Bordeaux Métropole – service ESS et emploi"),
]

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


def load_users() -> dict[Role, User]:
    users = {}
    for role, local_part, first_name, last_name, organisation in DEMO_USERS:
        is_admin = role == Role.ADMIN
        user, _ = User.objects.update_or_create(
            email=f"{local_part}@{DEMO_DOMAIN}",
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "organisation": organisation,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if hasattr(user, "email_confirmed_at") and user.email_confirmed_at is None:
            user.email_confirmed_at = datetime(2026, 1, 5, 9, 0, tzinfo=PARIS)
            user.save(update_fields=["email_confirmed_at"])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
        users[role] = user
    return users


def load_memberships(actors: list[Actor], applicant: User) -> None:
    """The applicant acts for the first two demo actors."""
    for actor in actors[:2]:
        Membership.objects.update_or_create(
            user=applicant, actor=actor, defaults={"position": "Directeur·rice", "is_active": True}
        )


@transaction.atomic
def load_demo() -> dict[Role, User]:
    """Reference data, then the demo actors, accounts and applications; returns the demo users by role."""
    load_reference()
    actors = load_actors()
    load_actor_details(actors)
    users = load_users()
    load_memberships(actors, users[Role.APPLICANT])
    load_grants_demo(actors=actors, applicant=users[Role.APPLICANT], staff=users[Role.STAFF])
    load_plan_demo()
    load_procurement_demo(actors=actors, users=users)
    load_indicators_demo(staff=users[Role.STAFF])  # last: its computed measures read all the demo data
    return users


class Command(BaseCommand):
    help = "Charge des données de démonstration fictives (acteurs, comptes par rôle, demandes). Peut être relancée."

    def handle(self, *args, **options):
        users = load_demo()
        self.stdout.write(self.style.SUCCESS(f"{Actor.objects.count()} structures, données de démonstration à jour."))
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (un mot de passe commun) :")
        header = f"  {'rôle':<45} {'e-mail':<34} mot de passe"
        self.stdout.write(header)
        self.stdout.write("  " + "-" * (len(header) - 2))
        for role, user in users.items():
            self.stdout.write(f"  {role.label:<45} {user.email:<34} {DEMO_PASSWORD}")
