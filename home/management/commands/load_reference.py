from django.core.management.base import BaseCommand

from home.reference import load_reference


class Command(BaseCommand):
    help = "Charge (ou remet à jour) les données de référence du plan ESS 2022–2026. Peut être relancée sans risque."

    def handle(self, *args, **options):
        for name, created in load_reference().items():
            self.stdout.write(f"{name} : {created} créé(s), le reste mis à jour")
        self.stdout.write(self.style.SUCCESS("Données de référence à jour."))
