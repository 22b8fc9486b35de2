"""`manage.py generate_fake_actors N`: N fictitious actors for benchmarks (bulk insert, no history rows).

SIRETs are valid but fictitious (SIREN 97…); running the command again adds N more.
"""

import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from stdnum import luhn

from actors.enums import AgrementKind, LegalForm, LocationPrecision, SiaeType
from actors.models import Actor, Agrement, Commune, normalize_search_text
from filieres.models import Filiere, Segment

BATCH_SIZE = 5000
WORDS = [
    "Atelier",
    "Coopérative",
    "Ressourcerie",
    "Vélo",
    "Jardin",
    "Habitat",
    "Recyclerie",
    "Fret",
    "Épicerie",
    "Solidaire",
    "Garonne",
    "Bastide",
    "Chartrons",
    "Réemploi",
    "Consigne",
    "Cuisine",
    "Bois",
    "Terre",
    "Textile",
    "Numérique",
    "Mobilité",
    "Énergie",
    "Fabrique",
    "Quartier",
    "Insertion",
    "Emploi",
    "Lien",
]
ACTIVITIES = [
    "réemploi de matériaux du bâtiment",
    "livraison en vélo-cargo",
    "épicerie solidaire et circuits courts",
    "réparation et reconditionnement d’ordinateurs",
    "collecte de biodéchets",
    "écoconstruction en paille",
    "accompagnement à la création d’activité",
    "insertion par le maraîchage",
    "recyclerie de quartier",
]


def fake_siret(number: int) -> str:
    siren = f"97{number:06d}"
    siren += luhn.calc_check_digit(siren)
    siret = f"{siren}0001"
    return siret + luhn.calc_check_digit(siret)


class Command(BaseCommand):
    help = "Génère N acteurs fictifs pour les mesures de performance (insertion en masse)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count, seed, **options):
        communes = list(Commune.objects.all())
        filieres = list(Filiere.objects.all())
        segments_by_filiere = {f.pk: list(Segment.objects.filter(filiere=f)) for f in filieres}
        if not communes or not filieres:
            raise CommandError("Chargez d’abord les données de référence : manage.py load_reference")
        if count > 999_999:
            raise CommandError("Au plus 999 999 acteurs fictifs.")
        rng = random.Random(seed)
        start = Actor.objects.filter(siret__startswith="97").count()
        filiere_links = Actor.filieres.through
        segment_links = Actor.segments.through
        legal_forms = LegalForm.values
        created = 0
        while created < count:
            size = min(BATCH_SIZE, count - created)
            with transaction.atomic():
                actors = []
                for offset in range(size):
                    number = start + created + offset
                    commune = rng.choice(communes)
                    name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {number}"
                    description = f"Structure fictive (mesures de performance) : {rng.choice(ACTIVITIES)}."
                    siret = fake_siret(number)
                    actors.append(
                        Actor(
                            name=name,
                            siret=siret,
                            legal_form=rng.choice(legal_forms),
                            commune=commune,
                            address=f"{rng.randint(1, 200)} rue de l’Exemple",
                            postal_code="33000",
                            latitude=commune.latitude + Decimal(rng.randint(-600, 600)) / 100000,
                            longitude=commune.longitude + Decimal(rng.randint(-800, 800)) / 100000,
                            location_precision=LocationPrecision.MANUAL,
                            fte=Decimal(rng.randint(0, 2000)) / 10,
                            founded_year=rng.randint(1950, 2025),
                            description=description,
                            is_public=rng.random() < 0.7,
                            search_text=normalize_search_text(f"{name} {siret} {description}"),
                        )
                    )
                actors = Actor.objects.bulk_create(actors, batch_size=1000)
                if not actors[0].pk:  # backends that don't return primary keys from bulk inserts
                    by_siret = dict(
                        Actor.objects.filter(siret__in=[a.siret for a in actors]).values_list("siret", "pk")
                    )
                    for actor in actors:
                        actor.pk = by_siret[actor.siret]
                links, segment_rows, agrements = [], [], []
                for actor in actors:
                    filiere = rng.choice(filieres)
                    links.append(filiere_links(actor_id=actor.pk, filiere_id=filiere.pk))
                    if segments_by_filiere[filiere.pk]:
                        segment = rng.choice(segments_by_filiere[filiere.pk])
                        segment_rows.append(segment_links(actor_id=actor.pk, segment_id=segment.pk))
                    if rng.random() < 0.06:
                        kind = rng.choice(AgrementKind.values)
                        siae_type = rng.choice(SiaeType.values) if kind == AgrementKind.SIAE else ""
                        agrements.append(Agrement(actor_id=actor.pk, kind=kind, siae_type=siae_type))
                filiere_links.objects.bulk_create(links, batch_size=2000)
                segment_links.objects.bulk_create(segment_rows, batch_size=2000)
                Agrement.objects.bulk_create(agrements, batch_size=2000)
            created += size
            self.stdout.write(f"{created} / {count} acteurs fictifs créés")
        self.stdout.write(self.style.SUCCESS(f"{count} acteurs fictifs ajoutés ({Actor.objects.count()} au total)."))
