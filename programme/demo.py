"""Demo tracking of the action plan for `make demo`: plausible statuses, progress and milestones (fictitious)."""

import datetime

from django.db.models import F
from django.utils import timezone

from programme.enums import ActionStatus, RealisationKind
from programme.models import Action, Milestone, Realisation

# code: (status, progress, responsible service)
TRACKING = {
    "1.1.1": (ActionStatus.IN_PROGRESS, 40, "Service ESS et emploi – DG Mobilités"),
    "1.1.2": (ActionStatus.IN_PROGRESS, 60, "Service ESS et emploi – prévention et gestion des déchets"),
    "1.1.3": (ActionStatus.IN_PROGRESS, 30, "Service ESS et emploi – direction de l’habitat"),
    "1.1.4": (ActionStatus.DELAYED, 20, "Service ESS et emploi – développement économique"),
    "1.2": (ActionStatus.DONE, 100, "Service ESS et emploi"),
    "2.1": (ActionStatus.IN_PROGRESS, 70, "Service ESS et emploi"),
    "2.2": (ActionStatus.IN_PROGRESS, 50, "Direction des finances – service ESS"),
    "2.3": (ActionStatus.IN_PROGRESS, 45, "Service ESS et emploi – foncière solidaire"),
    "2.4": (ActionStatus.IN_PROGRESS, 55, "Direction des achats"),
    "3.4": (ActionStatus.IN_PROGRESS, 65, "Direction des achats – CRESS Nouvelle-Aquitaine"),
}
MILESTONES = [
    # code, title, days from today (due), done
    ("2.2", "Première prise de participation au capital d’une SCIC", -40, True),
    ("2.3", "Comité d’engagement de la foncière solidaire", 30, False),
    ("1.1.4", "Étude sur la reprise d’entreprises en SCOP", -15, False),
    ("3.4", "Mise à jour de la carte des acteurs ASR", 60, False),
]
REALISATIONS = [
    # code, kind, title, date
    ("3.3", RealisationKind.EVENT, "Marché de Noël solidaire avec les partenaires", datetime.date(2025, 12, 6)),
    ("2.4", RealisationKind.EVENT, "Rencontre acheteurs publics – fournisseurs de l’ESS", datetime.date(2025, 3, 18)),
]


def load_plan_demo() -> None:
    today = timezone.localdate()
    for code, (status, progress, service) in TRACKING.items():
        Action.objects.filter(code=code, status=ActionStatus.NOT_STARTED).update(
            status=status, progress=progress, responsible_service=service
        )
    for code, title, days, done in MILESTONES:
        action = Action.objects.filter(code=code).first()
        if action is None:
            continue
        due_on = today + datetime.timedelta(days=days)
        Milestone.objects.get_or_create(
            action=action, title=title, defaults={"due_on": due_on, "done_on": due_on if done else None}
        )
    # The plan's dated commitments (2022–2024, loaded with the reference data) were held on time in the demo.
    Milestone.objects.plan_commitments().filter(done_on=None, due_on__lt=today).update(done_on=F("due_on"))
    for code, kind, title, happened_on in REALISATIONS:
        action = Action.objects.filter(code=code).first()
        if action is not None:
            Realisation.objects.get_or_create(
                action=action, title=title, defaults={"kind": kind, "happened_on": happened_on}
            )
