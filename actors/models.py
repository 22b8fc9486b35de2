from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from stdnum.fr import siret as siret_check

from actors.enums import LegalForm


def validate_siret(value: str) -> None:
    if not siret_check.is_valid(value):
        raise ValidationError(
            "Le numéro SIRET « %(value)s » n’est pas valide (14 chiffres, clé de contrôle).",
            params={"value": value},
            code="invalid_siret",
        )


class Commune(models.Model):
    """One of the 28 communes of Bordeaux Métropole (reference data)."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    latitude = models.DecimalField("latitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def public(self):
        """Actors shown to anonymous visitors: opted in and not archived."""
        return self.active().filter(is_public=True)

    def of_user(self, user):
        """Structures the user acts for (through an active membership)."""
        return self.filter(memberships__user=user, memberships__is_active=True)


class Actor(models.Model):
    """An ESS structure of the territory (association, coopérative, mutuelle, fondation, société ESS)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    legal_form = models.CharField("forme juridique", max_length=20, choices=LegalForm.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="actors", verbose_name="commune")
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    fte = models.DecimalField(
        "effectif (ETP)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    founded_year = models.PositiveSmallIntegerField(
        "année de création", null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    website = models.URLField("site web", blank=True)
    description = models.TextField("présentation", blank=True)
    filieres = models.ManyToManyField("filieres.Filiere", blank=True, related_name="actors", verbose_name="filières")
    segments = models.ManyToManyField("filieres.Segment", blank=True, related_name="actors", verbose_name="segments")
    is_public = models.BooleanField(
        "visible dans l’annuaire public",
        default=False,
        help_text="La structure a accepté de paraître dans l’annuaire.",
    )
    is_archived = models.BooleanField("archivée", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = "acteur de l’ESS"
        verbose_name_plural = "acteurs de l’ESS"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~models.Q(siret=""), name="unique_actor_siret"),
        ]

    def __str__(self):
        return self.name

    @property
    def siren(self) -> str:
        return self.siret[:9]
