from django.core.management.base import BaseCommand
from django.utils import timezone

from procurement.asr.services import expire_stale_listings


class Command(BaseCommand):
    help = "Marque expirés les référencements ASR publiés non vérifiés depuis 12 mois (à lancer chaque nuit)."

    def handle(self, *args, **options):
        count = expire_stale_listings(timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{count} référencement(s) expiré(s)."))
