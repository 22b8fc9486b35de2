import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from programme.enums import ActionStatus, Rollup


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
    def with_plan(self, *, today: datetime.date) -> list["Axis"]:
        """The axes with their fiche, top-level actions (`top_actions`), sub-actions (`sub_actions`), counts of
        schemes and applications and overdue milestones (`overdue_milestones`), in three queries whatever the size.
        """
        axes = list(self.select_related("sheet"))
        actions = list(
            Action.objects.filter(sheet__axis__in=axes)
            .annotate(
                scheme_count=models.Count("schemes", distinct=True),
                application_count=models.Count("applications", distinct=True),
            )
            .order_by("position", "code")
        )
        overdue = {}
        for milestone in Milestone.objects.filter(action__in=actions).overdue(today=today):
            overdue.setdefault(milestone.action_id, []).append(milestone)
        children = {}
        for action in actions:
            action.overdue_milestones = overdue.get(action.pk, [])
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

    def load_sub_actions(self) -> list["Action"]:
        """The sub-actions, loaded once (`with_plan` sets them for the whole plan)."""
        if not hasattr(self, "sub_actions"):
            self.sub_actions = list(self.children.all())
        return self.sub_actions


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, *, today: datetime.date):
        return self.filter(done_on=None, due_on__lt=today).order_by("due_on", "pk")


class Milestone(models.Model):
    """A dated step of an action (e.g. "premier comité de filière")."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones", verbose_name="action")
    title = models.CharField("intitulé", max_length=250)
    due_on = models.DateField("échéance")
    done_on = models.DateField("réalisé le", null=True, blank=True)

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
