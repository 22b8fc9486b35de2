import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from programme.enums import ActionStatus, IndicatorKind, MeasurementSource, RealisationKind, ReportPeriodKind, Rollup


def _lines(text: str) -> list[str]:
    """Text fields holding one item per line (as the plan lists them) split into items."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def rolled_up(children: list["Action"], *, mode: str) -> int:
    """Progress (0–100, rounded) of a node from its children's: a plain mean, or weighted by each child's `weight`."""
    if not children:
        return 0
    if mode == Rollup.WEIGHTED:
        total_weight = sum(child.weight for child in children)
        if total_weight == 0:
            return 0
        return round(sum(child.progress_value * child.weight for child in children) / total_weight)
    return round(sum(child.progress_value for child in children) / len(children))


class AxisQuerySet(models.QuerySet):
    def with_plan(self, *, today: datetime.date, public: bool = False) -> list["Axis"]:
        """The axes with their fiche, top-level actions (`top_actions`), sub-actions (`sub_actions`) and milestones
        (`milestone_list`, each with `overdue`; the overdue ones also in `overdue_milestones`), in three queries
        whatever the size. Staff also get the counts of schemes, applications and realisations; the public version
        (`public=True`) only the plan's own dated commitments, nothing entered for internal follow-up.
        """
        axes = list(self.select_related("sheet"))
        actions = Action.objects.filter(sheet__axis__in=axes).order_by("position", "code")
        milestones = Milestone.objects.all()
        if public:
            milestones = milestones.plan_commitments()
        else:
            actions = actions.annotate(
                scheme_count=models.Count("schemes", distinct=True),
                application_count=models.Count("applications", distinct=True),
                realisation_count=models.Subquery(
                    Realisation.objects.filter(action=models.OuterRef("pk"))
                    .values("action")
                    .annotate(count=models.Count("pk"))
                    .values("count")[:1]
                ),
            )
        actions = list(actions)
        by_action = {}
        for milestone in milestones.filter(action__in=actions).order_by("due_on", "pk"):
            milestone.overdue = milestone.is_overdue(today=today)
            by_action.setdefault(milestone.action_id, []).append(milestone)
        children = {}
        for action in actions:
            action.milestone_list = by_action.get(action.pk, [])
            action.overdue_milestones = [milestone for milestone in action.milestone_list if milestone.overdue]
            children.setdefault(action.parent_id, []).append(action)
        for action in actions:
            action.sub_actions = children.get(action.pk, [])
        for axis in axes:
            axis.sheet.top_actions = [action for action in children.get(None, []) if action.sheet_id == axis.sheet.pk]
        return axes


class Axis(models.Model):
    """An axis of the 2022–2026 action plan (3 axes)."""

    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=250)

    objects = AxisQuerySet.as_manager()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["number"]

    def __str__(self):
        return f"Axe {self.number} – {self.title}"

    @property
    def progress_value(self) -> int:
        """An axis has one fiche: its progress is the fiche's."""
        return self.sheet.progress_value


class ActionSheet(models.Model):
    """A fiche of the plan: one per axis, grouping its actions."""

    axis = models.OneToOneField(Axis, on_delete=models.CASCADE, related_name="sheet", verbose_name="axe")
    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=250)
    objectives = models.TextField("objectifs", blank=True, help_text="Un objectif par ligne.")
    expected_results = models.TextField("résultats attendus", blank=True, help_text="Un résultat par ligne.")
    rollup = models.CharField(
        "calcul de l’avancement",
        max_length=10,
        choices=Rollup.choices,
        default=Rollup.AVERAGE,
        help_text="Comment l’avancement de la fiche se déduit de celui de ses actions.",
    )

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["number"]

    def __str__(self):
        return f"Fiche {self.number} – {self.title}"

    @property
    def objective_list(self) -> list[str]:
        return _lines(self.objectives)

    @property
    def expected_result_list(self) -> list[str]:
        return _lines(self.expected_results)

    @property
    def progress_value(self) -> int:
        """Rolled up from the top-level actions (`top_actions` when loaded by `with_plan`)."""
        if not hasattr(self, "top_actions"):
            self.top_actions = list(self.actions.filter(parent=None).prefetch_related("children"))
            for action in self.top_actions:
                action.sub_actions = list(action.children.all())
        return rolled_up(self.top_actions, mode=self.rollup)


class Action(models.Model):
    """An action of the plan (1.1 … 3.4), possibly a sub-action (1.1.1 … 1.1.4, 3.1.1, 3.1.2)."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="actions", verbose_name="fiche")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="action parente"
    )
    code = models.CharField("code", max_length=10, unique=True)
    title = models.CharField("intitulé", max_length=250)
    objectives = models.TextField("objectifs", blank=True)
    modalities = models.TextField("modalités", blank=True, help_text="Une modalité par ligne.")
    calendar = models.TextField("calendrier", blank=True, help_text="Une étape par ligne.")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    status = models.CharField("état", max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="De 0 à 100. Pour une action qui a des sous-actions, l’avancement est calculé à partir d’elles.",
    )
    responsible_service = models.CharField("service responsable", max_length=200, blank=True)
    rollup = models.CharField(
        "calcul de l’avancement",
        max_length=10,
        choices=Rollup.choices,
        default=Rollup.AVERAGE,
        help_text="Comment l’avancement se déduit de celui des sous-actions.",
    )
    weight = models.PositiveSmallIntegerField(
        "poids", default=1, help_text="Poids de l’action dans l’avancement pondéré de son parent."
    )

    history = HistoricalRecords(verbose_name="historique de l’action")

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_at_most_100"),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.DONE) | models.Q(progress=100),
                name="action_done_is_at_100",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def modality_list(self) -> list[str]:
        return _lines(self.modalities)

    @property
    def calendar_list(self) -> list[str]:
        return _lines(self.calendar)

    def clean(self):
        if self.status == ActionStatus.DONE and self.progress != 100:
            raise ValidationError({"status": "Une action réalisée est avancée à 100 %."})

    @property
    def progress_value(self) -> int:
        """Its own progress, or rolled up from its sub-actions (`sub_actions` when loaded by `with_plan`)."""
        if self.load_sub_actions():
            return rolled_up(self.sub_actions, mode=self.rollup)
        return self.progress

    @property
    def status_value(self) -> str:
        """Its own status, or rolled up from its sub-actions: « réalisée » when all are done, « en cours » when one
        runs or is done, « en retard » when the only ones started are late, « en cours » still when some progress is
        recorded (as the progress bar shows), « non démarrée » otherwise."""
        sub_actions = self.load_sub_actions()
        if not sub_actions:
            return self.status
        statuses = {sub_action.status_value for sub_action in sub_actions}
        if statuses == {ActionStatus.DONE}:
            return ActionStatus.DONE
        if ActionStatus.IN_PROGRESS in statuses or ActionStatus.DONE in statuses:
            return ActionStatus.IN_PROGRESS
        if ActionStatus.DELAYED in statuses:
            return ActionStatus.DELAYED
        if self.progress_value > 0:
            return ActionStatus.IN_PROGRESS
        return ActionStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status_value).label

    def load_sub_actions(self) -> list["Action"]:
        """The sub-actions, loaded once with theirs (`with_plan` sets them for the whole plan)."""
        if not hasattr(self, "sub_actions"):
            self.sub_actions = list(self.children.prefetch_related("children"))
            for sub_action in self.sub_actions:
                sub_action.sub_actions = list(sub_action.children.all())
        return self.sub_actions


class MilestoneQuerySet(models.QuerySet):
    def plan_commitments(self):
        """The dated commitments of the plan's calendars (public), not the steps staff add for their follow-up."""
        return self.filter(is_plan_commitment=True)

    def overdue(self, *, today: datetime.date):
        return self.filter(done_on=None, due_on__lt=today).order_by("due_on", "pk")


class Milestone(models.Model):
    """A dated step of an action: a commitment of the plan's calendar (`is_plan_commitment`, loaded by
    `load_reference`, public) or a step staff add for their follow-up (e.g. "premier comité de filière")."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones", verbose_name="action")
    title = models.CharField("intitulé", max_length=250)
    due_on = models.DateField("échéance")
    done_on = models.DateField("réalisé le", null=True, blank=True)
    is_plan_commitment = models.BooleanField(
        "engagement du plan",
        default=False,
        help_text="Échéance inscrite au calendrier du plan 2022–2026 : publique, chargée avec les données de "
        "référence. Sinon, étape de suivi interne au service.",
    )

    history = HistoricalRecords(verbose_name="historique du jalon")
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "jalon"
        verbose_name_plural = "jalons"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.title} ({self.due_on:%d/%m/%Y})"

    def is_overdue(self, *, today: datetime.date) -> bool:
        return self.done_on is None and self.due_on < today


class Realisation(models.Model):
    """Something that implements an action besides the portal's schemes and applications: an event held, a stake
    taken in a SCIC, an operation of the foncière solidaire, a partnership, a study. Recorded by the ESS service."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="realisations", verbose_name="action")
    kind = models.CharField("type", max_length=12, choices=RealisationKind.choices)
    title = models.CharField("intitulé", max_length=250)
    happened_on = models.DateField("date")
    description = models.TextField("description", blank=True)
    link = models.URLField("lien", blank=True, help_text="Page de l’événement, délibération, compte rendu…")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisie par"
    )

    history = HistoricalRecords(verbose_name="historique de la réalisation")

    class Meta:
        verbose_name = "réalisation"
        verbose_name_plural = "réalisations"
        ordering = ["-happened_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.title} ({self.happened_on:%d/%m/%Y})"


# --- Indicators (activity / result / impact), their yearly targets and measurements ---


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_year(self, year: int):
        """Annotate each indicator with its `target` and its measured `value` (the total, `breakdown` empty) for
        the year, both None when missing. Computed indicators read the measurements their last refresh wrote."""
        return self.annotate(
            target=models.Subquery(
                IndicatorTarget.objects.filter(indicator=models.OuterRef("pk"), year=year).values("value")[:1]
            ),
            value=models.Subquery(
                Measurement.objects.filter(indicator=models.OuterRef("pk"), year=year, breakdown="").values("value")[
                    :1
                ]
            ),
        )


class Indicator(models.Model):
    """What the plan measures. Its measurements are entered by staff, or computed from the portal's data when
    `computation` names one of the functions of `programme.indicators.COMPUTATIONS`."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("intitulé", max_length=250)
    kind = models.CharField("type", max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField("unité", max_length=40, help_text="Par exemple : €, structures, ETP, dossiers, jours.")
    description = models.TextField("définition", blank=True)
    computation = models.CharField(
        "calcul automatique",
        max_length=60,
        blank=True,
        help_text="Vide : mesures saisies par le service. Sinon, le portail les calcule à partir des données.",
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="action du plan mesurée",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    history = HistoricalRecords(verbose_name="historique de l’indicateur")
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.computation)


class IndicatorTarget(models.Model):
    """The value an indicator should reach in a year (a total, all breakdowns together)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("cible", max_digits=14, decimal_places=2)

    history = HistoricalRecords(verbose_name="historique de la cible")

    class Meta:
        verbose_name = "cible d’indicateur"
        verbose_name_plural = "cibles d’indicateurs"
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique_year")]

    def __str__(self):
        return f"{self.indicator} – {self.year} : {self.value}"


class Measurement(models.Model):
    """The value of an indicator for a year, as a whole (`breakdown` empty) or for one part of it (a filière's
    code, an application state…). Entered by staff, or written by the computation (`source`)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année")
    breakdown = models.CharField(
        "ventilation", max_length=60, blank=True, help_text="Vide pour le total ; sinon la filière, l’état…"
    )
    breakdown_label = models.CharField("libellé de la ventilation", max_length=200, blank=True)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("origine", max_length=10, choices=MeasurementSource.choices)
    measured_on = models.DateField("mesurée le")
    comment = models.TextField("commentaire", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(verbose_name="historique de la mesure")

    class Meta:
        verbose_name = "mesure d’indicateur"
        verbose_name_plural = "mesures d’indicateurs"
        ordering = ["indicator", "year", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "breakdown"], name="measurement_unique_indicator_year_breakdown"
            )
        ]

    def __str__(self):
        label = f" ({self.breakdown_label or self.breakdown})" if self.breakdown else ""
        return f"{self.indicator} – {self.year}{label} : {self.value}"


class IndicatorReportQuerySet(models.QuerySet):
    def done(self):
        return self.exclude(pdf_file="")


class IndicatorReport(models.Model):
    """A periodic (quarterly, annual) or on-demand indicator report: one PDF and one XLSX, kept privately and served
    by a permission-checking view. Produced by the `indicator_report` job."""

    period_kind = models.CharField("périodicité", max_length=10, choices=ReportPeriodKind.choices)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    title = models.CharField("titre", max_length=200)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="tâche"
    )
    pdf_file = models.FileField("rapport PDF", upload_to="reports/%Y/", blank=True, max_length=255)
    xlsx_file = models.FileField("tableur XLSX", upload_to="reports/%Y/", blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
        help_text="Vide pour les rapports produits automatiquement (trimestriels et annuels).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    generated_at = models.DateTimeField("produit le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyé aux élus le", null=True, blank=True)

    objects = IndicatorReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport d’indicateurs"
        verbose_name_plural = "rapports d’indicateurs"
        ordering = ["-ends_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="report_period_ordered"
            )
        ]

    def __str__(self):
        return self.title

    FILE_FIELDS = {"pdf": "pdf_file", "xlsx": "xlsx_file"}

    def file(self, file_format: str):
        """The produced PDF (`pdf`) or spreadsheet (`xlsx`); empty while the job has not produced it."""
        return getattr(self, self.FILE_FIELDS.get(file_format, ""), None) or None

    def download_name(self, file_format: str) -> str:
        return f"rapport-indicateurs-{self.starts_on:%Y-%m-%d}-{self.ends_on:%Y-%m-%d}.{file_format}"
