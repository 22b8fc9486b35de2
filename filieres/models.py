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


class HeadOfNetwork(models.Model):
    """A tête de filière / tête de réseau: a reference actor named for a filière."""

    filiere = models.ForeignKey(
        Filiere, on_delete=models.CASCADE, related_name="heads_of_network", verbose_name="filière"
    )
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.CASCADE, related_name="headed_filieres", verbose_name="acteur"
    )
    since_on = models.DateField("depuis le", null=True, blank=True)
    role_description = models.CharField("rôle dans la filière", max_length=250, blank=True)

    class Meta:
        verbose_name = "tête de filière"
        verbose_name_plural = "têtes de filière"
        ordering = ["filiere__code", "actor__name"]
        constraints = [models.UniqueConstraint(fields=["filiere", "actor"], name="unique_head_of_network")]

    def __str__(self):
        return f"{self.actor} – tête de filière {self.filiere}"
