from django.db import models


class Filiere(models.Model):
    """One of the four priority filières of the plan (action 1.1.1 to 1.1.4)."""

    code = models.CharField("code de l’action", max_length=10, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    description = models.TextField("description", blank=True)
    partner_directions = models.TextField(
        "directions partenaires de la Métropole", blank=True, help_text="Une direction par ligne."
    )

    class Meta:
        verbose_name = "filière"
        verbose_name_plural = "filières"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def partner_direction_list(self) -> list[str]:
        return [line.strip() for line in self.partner_directions.splitlines() if line.strip()]


class Segment(models.Model):
    """A segment of a filière named by the plan (e.g. cyclologistique)."""

    filiere = models.ForeignKey(Filiere, on_delete=models.CASCADE, related_name="segments", verbose_name="filière")
    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant", max_length=150)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "segment"
        verbose_name_plural = "segments"
        ordering = ["filiere__code", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["filiere", "slug"], name="unique_segment_slug")]

    def __str__(self):
        return self.name
