from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from accounts.enums import Role


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L’adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def with_role(self, role):
        return self.filter(groups__name=role)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    email_confirmed_at = models.DateTimeField(
        "adresse e-mail confirmée le",
        null=True,
        blank=True,
        help_text="Renseigné quand la personne inscrite en ligne a suivi le lien de confirmation.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def roles(self) -> set[str]:
        """Role names of the user, read once per request (groups are prefetched by nobody else)."""
        if not hasattr(self, "_roles"):
            self._roles = set(self.groups.values_list("name", flat=True)) if self.pk else set()
        return self._roles

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    @property
    def main_role(self) -> Role | None:
        """The role whose home page the user lands on; the order of `Role` breaks ties."""
        for role in Role:
            if role in self.roles:
                return role
        return None


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user acting for an ESS structure (an applicant's link to their actor)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur")
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.CASCADE, related_name="memberships", verbose_name="structure"
    )
    position = models.CharField("fonction dans la structure", max_length=120, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement à une structure"
        verbose_name_plural = "rattachements à une structure"
        constraints = [models.UniqueConstraint(fields=["user", "actor"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.actor}"
