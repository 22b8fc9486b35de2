from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actors.importing.reading import ImportFileError
from procurement.cpv.importing import INVALID, NEW, UNCHANGED, UPDATED, analyse, import_codes


class Command(BaseCommand):
    help = (
        "Importe la nomenclature CPV officielle (classeur XLSX de l’Union européenne, colonnes CODE et FR) : "
        "codes créés ou mis à jour, parents rattachés. Les lignes invalides sont signalées et ignorées."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="chemin du classeur .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="affiche ce que l’import changerait, sans écrire")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            analysis = analyse(path.read_bytes())
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for row in analysis.invalid_rows:
            self.stderr.write(f"Ligne {row.line} ({row.raw_code or 'sans code'}) : {row.reason}")
        counts = analysis.counts if dry_run else import_codes(analysis)
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts[NEW]} codes {verb} créés, {counts[UPDATED]} mis à jour, {counts[UNCHANGED]} inchangés ; "
                f"{counts[INVALID]} lignes invalides ignorées."
            )
        )
