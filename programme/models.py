from django.db import models


def _lines(text: str) -> list[str]:
    """Text fields holding one item per line (as the plan lists them) split into items."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class Axis(models.Model):
    """An axis of the 2022–2026 action plan (3 axes)."""

    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=250)

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["number"]

    def __str__(self):
        return f"Axe {self.number} – {self.title}"


class ActionSheet(models.Model):
    """A fiche of the plan: one per axis, grouping its actions."""

    axis = models.OneToOneField(Axis, on_delete=models.CASCADE, related_name="sheet", verbose_name="axe")
    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=250)
    objectives = models.TextField("objectifs", blank=True, help_text="Un objectif par ligne.")
    expected_results = models.TextField("résultats attendus", blank=True, help_text="Un résultat par ligne.")

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

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} – {self.title}"

    @property
    def modality_list(self) -> list[str]:
        return _lines(self.modalities)

    @property
    def calendar_list(self) -> list[str]:
        return _lines(self.calendar)
