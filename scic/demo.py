"""The SCIC register's part of the demo: two SCIC of the demo actors, one well under the 50 % public cap, the other
close to it, with the Métropole's stakes over 2023–2026 taken through the services (fixed keys: loading the demo
again adds nothing)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from actors.enums import LegalForm
from actors.models import Actor
from scic import services
from scic.enums import Body, CollectivityKind, MovementKind
from scic.models import Scic

D = datetime.date

# By the demo actor's name (both have the legal form SCIC in actors/data/demo_actors.json).
DEMO_SCIC = [
    {
        "name": "Bocal Consigné Aquitain",
        "deliberation": ("2023-BM-0142", D(2023, 3, 24)),
        "capital": [(D(2022, 12, 31), "200000", "Comptes annuels 2022"), (D(2024, 12, 31), "280000", "Comptes 2024")],
        "holdings": [("Région Nouvelle-Aquitaine", CollectivityKind.REGION, "20000", D(2022, 6, 1), None)],
        # (date, shares, nominal, fund year, deliberation number)
        "stakes": [
            (D(2023, 4, 15), 300, "100", 2023, "2023-BM-0188"),
            (D(2024, 5, 20), 200, "100", 2024, "2024-BM-0097"),
            (D(2025, 6, 10), 150, "100", 2025, "2025-BM-0113"),
        ],
        "paying_up": [(D(2023, 5, 15), 300, "100", "M-2023-04412"), (D(2024, 6, 20), 200, "100", "M-2024-05127")],
        "representatives": [
            ("Claire Dupuis (démo)", Body.GENERAL_MEETING, D(2023, 4, 1), D(2026, 6, 30)),
            ("Claire Dupuis (démo)", Body.BOARD, D(2023, 4, 1), D(2026, 6, 30)),
            ("Karim Benali (démo)", Body.GENERAL_MEETING, D(2026, 7, 1), D(2029, 6, 30)),
        ],
    },
    {
        "name": "Les Coursiers de la Jalle",
        "deliberation": ("2023-BM-0142", D(2023, 3, 24)),
        "capital": [(D(2022, 12, 31), "100000", "Procès-verbal de l’AG 2023")],
        "holdings": [
            ("Département de la Gironde", CollectivityKind.DEPARTEMENT, "25000", D(2022, 1, 1), None),
            ("Commune de Blanquefort", CollectivityKind.COMMUNE, "10000", D(2023, 1, 1), None),
        ],
        "stakes": [
            (D(2023, 6, 1), 250, "50", 2023, "2023-BM-0231"),
            (D(2024, 9, 12), 200, "50", 2024, "2024-BM-0175"),
            (D(2026, 3, 15), 60, "50", 2026, "2026-BM-0044"),
        ],
        "paying_up": [(D(2023, 7, 1), 250, "50", "M-2023-05830")],
        "representatives": [("Sophie Lacaze (démo)", Body.SUPERVISORY_BOARD, D(2023, 7, 1), D(2027, 1, 31))],
    },
]


def load_scic_demo(*, staff) -> list[Scic]:
    scics = []
    for spec in DEMO_SCIC:
        actor = Actor.objects.filter(name=spec["name"], legal_form=LegalForm.SCIC).first()
        if actor is None:
            continue
        key = f"demo-scic-{actor.siret}"
        number, deliberated_on = spec["deliberation"]
        scic = Scic.objects.filter(actor=actor).first() or services.declare_scic(
            actor=actor,
            by=staff,
            idempotency_key=key,
            framework_deliberation_number=number,
            framework_deliberation_on=deliberated_on,
            notes="SCIC fictive de la démonstration.",
        )
        for recorded_on, amount, source in spec["capital"]:
            services.record_capital(scic=scic, recorded_on=recorded_on, amount=Decimal(amount), source=source)
        for n, (name, kind, amount, held_from, held_until) in enumerate(spec["holdings"]):
            services.record_public_holding(
                scic=scic,
                holder_name=name,
                holder_kind=kind,
                amount=Decimal(amount),
                held_from=held_from,
                held_until=held_until,
                idempotency_key=f"{key}-holding-{n}",
            )
        for n, (subscribed_on, shares, nominal, fund_year, deliberation) in enumerate(spec["stakes"]):
            if subscribed_on > timezone.localdate():
                continue
            services.subscribe_shares(
                scic=scic,
                shares=shares,
                nominal=Decimal(nominal),
                subscribed_on=subscribed_on,
                fund_year=fund_year,
                deliberation_number=deliberation,
                deliberation_on=subscribed_on - datetime.timedelta(days=20),
                by=staff,
                idempotency_key=f"{key}-stake-{n}",
            )
        for n, (moved_on, shares, nominal, payment_order_number) in enumerate(spec["paying_up"]):
            services.record_movement(
                scic=scic,
                kind=MovementKind.PAYING_UP,
                shares=shares,
                nominal=Decimal(nominal),
                moved_on=moved_on,
                payment_order_number=payment_order_number,
                by=staff,
                idempotency_key=f"{key}-paying-up-{n}",
            )
        for n, (person, body, start, end) in enumerate(spec["representatives"]):
            services.designate_representative(
                scic=scic,
                person_name=person,
                body=body,
                mandate_start_on=start,
                mandate_end_on=end,
                deliberation_number=number,
                deliberation_on=deliberated_on,
                idempotency_key=f"{key}-representative-{n}",
            )
        services.record_liaison_meeting(
            scic=scic,
            held_on=D(2025, 11, 18),
            participants="Vice-présidente ESS, service ESS, direction de la SCIC",
            minutes="Point sur l’activité et les comptes 2024 ; perspectives de développement.",
            decisions="Suivi semestriel ; examen d’une nouvelle souscription en 2026.",
            idempotency_key=f"{key}-liaison-2025",
        )
        scics.append(scic)
    return scics
