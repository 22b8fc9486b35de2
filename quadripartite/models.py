from django.db import models


class Partner(models.Model):
    """One of the four collectivities of the quadripartite convention (action 3.1)."""

    name = models.CharField("nom", max_length=150, unique=True)
    short_name = models.CharField("nom court", max_length=50)
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    kind = models.CharField("type de collectivité", max_length=60)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["position"]

    def __str__(self):
        return self.name
