"""Demo indicators for `make demo`: yearly targets 2023–2026, a few measurements entered by the ESS service
(fictitious figures), then the computed measurements from the demo data. Idempotent: what exists is kept."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from programme.enums import MeasurementSource
from programme.models import Indicator, IndicatorTarget, Measurement
from programme.services import refresh_computed_measurements

# code: targets for 2023, 2024, 2025, 2026
TARGETS = {
    "montant-engage-filiere": ("400000", "600000", "800000", "900000"),
    "demandes-deposees": ("40", "50", "60", "60"),
    "delai-instruction": ("90", "75", "60", "60"),
    "instances-filieres": ("4", "8", "8", "8"),
    "evenements-ess": ("3", "5", "6", "8"),
    "participations-scic": ("1", "1", "2", "2"),
    "personnes-sensibilisees": ("50", "80", "100", "120"),
    "structures-soutenues": ("30", "40", "50", "55"),
    "structures-accompagnees-tetes-filiere": ("40", "60", "80", "100"),
    "heures-insertion": ("150000", "160000", "170000", "180000"),
    "beneficiaires-insertion": ("300", "320", "340", "360"),
    "etp-structures-soutenues": ("500", "650", "800", "900"),
    "emplois-crees": ("40", "60", "80", "100"),
    "part-emploi-ess": ("10.2", "10.4", "10.6", "10.8"),
}
TARGET_YEARS = (2023, 2024, 2025, 2026)

# code, year, breakdown label ("" for the total), value, comment
MEASUREMENTS = [
    ("instances-filieres", 2023, "", "5", "Comptes rendus des instances de filière."),
    ("instances-filieres", 2024, "", "7", "Comptes rendus des instances de filière."),
    ("instances-filieres", 2025, "", "9", "Comptes rendus des instances de filière."),
    ("evenements-ess", 2023, "", "4", "Dont le marché de Noël solidaire avec les partenaires."),
    ("evenements-ess", 2024, "", "5", ""),
    ("evenements-ess", 2025, "", "8", "Année du Forum mondial de l’ESS (GSEF) à Bordeaux."),
    ("personnes-sensibilisees", 2024, "", "64", "Feuilles d’émargement des sessions de sensibilisation."),
    ("personnes-sensibilisees", 2025, "", "92", "Feuilles d’émargement des sessions de sensibilisation."),
    ("structures-accompagnees-tetes-filiere", 2024, "", "52", "Bilans d’activité des têtes de filière."),
    ("structures-accompagnees-tetes-filiere", 2025, "", "71", "Bilans d’activité des têtes de filière."),
    ("structures-accompagnees-tetes-filiere", 2025, "Logistique zéro carbone", "14", ""),
    ("structures-accompagnees-tetes-filiere", 2025, "Économie circulaire", "26", ""),
    ("structures-accompagnees-tetes-filiere", 2025, "Écoconstruction et habitat", "18", ""),
    ("structures-accompagnees-tetes-filiere", 2025, "Économie de proximité", "13", ""),
    ("beneficiaires-insertion", 2024, "", "298", "Bilan annuel du PLIE."),
    ("beneficiaires-insertion", 2025, "", "331", "Bilan annuel du PLIE."),
    ("emplois-crees", 2024, "", "47", "Bilans finaux des projets aidés."),
    ("emplois-crees", 2025, "", "68", "Bilans finaux des projets aidés."),
    ("part-emploi-ess", 2023, "", "10.1", "Panorama de l’ESS de la CRESS Nouvelle-Aquitaine."),
]


def load_indicators_demo(*, staff=None) -> None:
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=TARGETS)}
    for code, values in TARGETS.items():
        if code not in indicators:
            continue
        for year, value in zip(TARGET_YEARS, values, strict=True):
            IndicatorTarget.objects.get_or_create(
                indicator=indicators[code], year=year, defaults={"value": Decimal(value)}
            )
    today = timezone.localdate()
    for code, year, label, value, comment in MEASUREMENTS:
        if code not in indicators or indicators[code].is_computed or year >= today.year:
            continue
        Measurement.objects.get_or_create(
            indicator=indicators[code],
            year=year,
            breakdown=slugify(label)[:60],
            defaults={
                "breakdown_label": label,
                "value": Decimal(value),
                "source": MeasurementSource.ENTERED,
                "measured_on": min(datetime.date(year + 1, 1, 31), today),
                "comment": comment,
                "entered_by": staff,
            },
        )
    for year in range(today.year - 2, today.year + 1):
        refresh_computed_measurements(year)
