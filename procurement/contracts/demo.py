"""Demo contracts with insertion clauses for `make demo` (fictitious), dated from the current year so that they
stay meaningful: one running on track, one running late, one ended with every hour done, one not started yet.

Idempotent: contracts, lots, clauses and hours reports are found by their natural keys; hours reports of a demo
contract that the current run does not produce (the year changed) are removed.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours

PUBLIC = "Demandeurs d’emploi de longue durée, allocataires du RSA, jeunes de moins de 26 ans sans qualification."


def _quarters(starts_on: date, until: date) -> list[tuple[date, date]]:
    """The calendar quarters from `starts_on` that ended before `until`."""
    quarters, start = [], starts_on
    while True:
        month = start.month + 3
        next_start = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end = next_start - timedelta(days=1)
        if end >= until:
            return quarters
        quarters.append((start, end))
        start = next_start


def _contracts(year: int) -> list[dict]:
    # pace: share of the required hours reported per elapsed quarter (1.1 = 10 % ahead of the pro rata).
    return [
        {
            "reference": "DEMO-M-001",
            "title": "Nettoyage et entretien des bâtiments administratifs",
            "buying_direction": "Direction du patrimoine",
            "starts_on": date(year - 1, 1, 1),
            "ends_on": date(year + 1, 12, 31),
            "amount": Decimal("1800000.00"),
            "facilitator": "staff",
            "lots": [
                (1, "Sites de Bordeaux", Decimal("1100000.00"), "Propreté Solidaire Gironde", Decimal("6000"), 1.1),
                (2, "Sites de la rive droite", Decimal("700000.00"), "Net’Insertion Lormont", Decimal("3500"), 1.15),
            ],
        },
        {
            "reference": "DEMO-M-002",
            "title": "Réhabilitation de la piscine de Mérignac",
            "buying_direction": "Direction des bâtiments",
            "starts_on": date(year - 1, 7, 1),
            "ends_on": date(year + 1, 6, 30),
            "amount": Decimal("3200000.00"),
            "facilitator": "partner",
            "lots": [
                (1, "Gros œuvre", Decimal("2100000.00"), "BTP Garonne", Decimal("5000"), 0.05),
                (2, "Second œuvre", Decimal("900000.00"), "Atelier Bois Solidaire", Decimal("2000"), 0.1),
                (3, "Études et maîtrise d’œuvre", Decimal("200000.00"), "Cabinet Lacour", None, 0),
            ],
        },
        {
            "reference": "DEMO-M-003",
            "title": "Collecte des encombrants et réemploi",
            "buying_direction": "Direction de la prévention et de la gestion des déchets",
            "starts_on": date(year - 3, 1, 1),
            "ends_on": date(year - 1, 12, 31),
            "amount": Decimal("950000.00"),
            "facilitator": "staff",
            "lots": [(1, "Collecte et tri", Decimal("950000.00"), "Recyclerie de la Jallère", Decimal("4000"), 1.05)],
        },
        {
            "reference": "DEMO-M-004",
            "title": "Entretien des espaces verts des parcs métropolitains",
            "buying_direction": "Direction de la nature",
            "starts_on": date(year + 1, 1, 1),
            "ends_on": date(year + 3, 12, 31),
            "amount": Decimal("640000.00"),
            "facilitator": None,
            "lots": [(1, "Parcs de la rive gauche", Decimal("640000.00"), "Jardins d’Aquitaine", Decimal("2500"), 0)],
        },
    ]


def load_contracts_demo(*, procurement, staff, partner) -> None:
    today = timezone.localdate()
    facilitators = {"staff": staff, "partner": partner, None: None}
    for spec in _contracts(today.year):
        contract, _ = Contract.objects.update_or_create(
            reference=spec["reference"],
            defaults={
                "title": spec["title"],
                "buying_direction": spec["buying_direction"],
                "starts_on": spec["starts_on"],
                "ends_on": spec["ends_on"],
                "amount": spec["amount"],
                "facilitator": facilitators[spec["facilitator"]],
                "created_by": procurement,
            },
        )
        kept = []
        for number, title, amount, holder, hours_required, pace in spec["lots"]:
            lot, _ = ContractLot.objects.update_or_create(
                contract=contract, number=number, defaults={"title": title, "amount": amount, "holder_name": holder}
            )
            if hours_required is None:
                continue
            clause, _ = InsertionClause.objects.update_or_create(
                lot=lot, defaults={"hours_required": hours_required, "public_concerned": PUBLIC}
            )
            quarters = _quarters(contract.starts_on, min(today, contract.ends_on + timedelta(days=1)))
            total_days = (contract.ends_on - contract.starts_on).days + 1
            for period_start, period_end in quarters:
                share = Decimal((period_end - period_start).days + 1) / total_days
                hours = (hours_required * share * Decimal(str(pace))).quantize(Decimal("1"))
                if hours <= 0:
                    continue
                report, _ = InsertionHours.objects.update_or_create(
                    clause=clause,
                    company_name=holder,
                    period_start=period_start,
                    defaults={
                        "period_end": period_end,
                        "hours": hours,
                        "beneficiaries": max(1, int(hours // 120)),
                        "reported_by": contract.facilitator or staff,
                    },
                )
                kept.append(report.pk)
        InsertionHours.objects.filter(clause__lot__contract=contract).exclude(pk__in=kept).delete()
