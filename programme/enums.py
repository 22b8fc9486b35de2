from django.db import models


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non démarrée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    DELAYED = "delayed", "En retard"


class Rollup(models.TextChoices):
    """How a node's progress is computed from its children's."""

    AVERAGE = "average", "Moyenne simple"
    WEIGHTED = "weighted", "Moyenne pondérée (poids des sous-actions)"


class IndicatorKind(models.TextChoices):
    """The three kinds of indicators the plan asks for (fiche « Évaluation »)."""

    ACTIVITY = "activity", "Indicateur d’activité"
    RESULT = "result", "Indicateur de résultat"
    IMPACT = "impact", "Indicateur d’impact"


class MeasurementSource(models.TextChoices):
    ENTERED = "entered", "Saisie par le service"
    COMPUTED = "computed", "Calculée par le portail"


class ReportPeriodKind(models.TextChoices):
    QUARTERLY = "quarterly", "Trimestriel"
    ANNUAL = "annual", "Annuel"
    CUSTOM = "custom", "Période choisie"


class RealisationKind(models.TextChoices):
    """What implements an action besides the portal's own schemes and applications. SCIC stakes and the foncière's
    operations have their own registers (`scic/`, `fonciere/`), with their amounts and rules."""

    EVENT = "event", "Événement"
    PARTNERSHIP = "partnership", "Partenariat, convention"
    STUDY = "study", "Étude, diagnostic"
    OTHER = "other", "Autre réalisation"
