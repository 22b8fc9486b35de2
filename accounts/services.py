"""Account writes that span several models or send e-mail: applicant sign-up and e-mail confirmation."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User

CONFIRMATION_SALT = "accounts.confirm_email"
CONFIRMATION_MAX_AGE = timedelta(days=3)


class InvalidConfirmationLink(Exception):
    """A confirmation link that cannot be used; `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def register_applicant(*, email: str, password: str, first_name: str, last_name: str, organisation: str = "") -> User:
    """Create an inactive applicant account and send the link that confirms its e-mail address."""
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "Un compte existe déjà avec cette adresse e-mail."})
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            is_active=False,
        )
        user.groups.add(Group.objects.get_or_create(name=Role.APPLICANT.value)[0])
    # Sent once the account is saved: if the mail server fails, the person asks for a new link.
    send_confirmation_email(user=user)
    return user


def make_confirmation_token(*, user: User) -> str:
    # The e-mail is signed with the id, so a link stops working if the address changes.
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)


def send_confirmation_email(*, user: User) -> None:
    path = reverse("accounts:confirm_email", kwargs={"token": make_confirmation_token(user=user)})
    context = {
        "user": user,
        "confirmation_url": settings.SITE_URL.rstrip("/") + path,
        "resend_url": settings.SITE_URL.rstrip("/") + reverse("accounts:resend_confirmation"),
        "valid_days": CONFIRMATION_MAX_AGE.days,
    }
    subject = render_to_string("accounts/emails/confirm_email_subject.txt", context).strip()
    body = render_to_string("accounts/emails/confirm_email.txt", context)
    send_mail(subject, body, None, [user.email])


def confirm_email(*, token: str) -> User:
    """Activate the account the link was sent for; raise InvalidConfirmationLink otherwise."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidConfirmationLink("expired") from error
    except signing.BadSignature as error:
        raise InvalidConfirmationLink("invalid") from error
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("user"), email=data.get("email")).first()
        if user is None:
            raise InvalidConfirmationLink("invalid")
        # A confirmed account stays as it is: the link never re-activates an account an admin disabled.
        if user.email_confirmed_at is not None or user.is_active or user.last_login is not None:
            raise InvalidConfirmationLink("used")
        user.email_confirmed_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_confirmed_at", "is_active"])
    return user


def resend_confirmation(*, email: str) -> None:
    """Send a new link if an account awaits confirmation at this address; say nothing either way."""
    email = User.objects.normalize_email(email).lower()
    # Only sign-ups never confirmed: not an account that an admin disabled after it was used.
    user = (
        User.objects.with_role(Role.APPLICANT)
        .filter(email__iexact=email, is_active=False, email_confirmed_at__isnull=True, last_login__isnull=True)
        .first()
    )
    if user is not None:
        send_confirmation_email(user=user)
