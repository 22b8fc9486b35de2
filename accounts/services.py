"""Account writes that span several models or send e-mail: applicant sign-up and e-mail confirmation."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership, User
from actors.enums import ClaimStatus
from actors.models import ActorClaim
from actors.services import ADDRESS_FIELDS, enqueue_geocoding

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


# --- Self-service of applicants: declare a structure, claim one, edit its profile ---------------------------


def _actor_changes_need_geocoding(form) -> bool:
    return form.instance.pk is None or bool(ADDRESS_FIELDS & set(form.changed_data))


def create_structure(*, form, by: User):
    """Create the structure the applicant declared (not verified yet) and make them its first member."""

    try:
        with transaction.atomic():
            actor = form.save(commit=False)
            actor.verified_at = None
            actor._history_user = by
            actor._change_reason = "Déclaration par un porteur de projet"
            actor.save()
            form.save_m2m()
            Membership.objects.create(user=by, actor=actor, position=form.cleaned_data.get("position", ""))
            enqueue_geocoding(actor)
    except IntegrityError as error:
        # Another person declared the same SIRET a moment ago.
        raise ValidationError(
            {
                "siret": "Une structure avec ce SIRET est déjà enregistrée dans le portail : demandez plutôt à y être "
                "rattaché·e."
            }
        ) from error
    return actor


@transaction.atomic
def update_structure_profile(*, form, by: User):
    """Save a member's changes to their structure's profile; the history names the member."""
    needs_geocoding = _actor_changes_need_geocoding(form)
    actor = form.save(commit=False)
    actor._history_user = by
    actor._change_reason = "Modification du profil par un membre"
    actor.save()
    form.save_m2m()
    if needs_geocoding:
        enqueue_geocoding(actor)
    return actor


def request_actor_claim(*, user: User, actor, position: str, message: str = ""):
    """Ask to act for an existing structure; staff approve or reject the claim."""

    if Membership.objects.filter(user=user, actor=actor, is_active=True).exists():
        raise ValidationError("Vous êtes déjà rattaché·e à cette structure.")
    if ActorClaim.objects.pending().filter(user=user, actor=actor).exists():
        raise ValidationError("Vous avez déjà une demande de rattachement en attente pour cette structure.")
    try:
        with transaction.atomic():
            return ActorClaim.objects.create(user=user, actor=actor, position=position, message=message)
    except IntegrityError as error:  # a double submission
        raise ValidationError("Vous avez déjà une demande de rattachement en attente pour cette structure.") from error


def _decide_claim(*, claim, by: User, status: str, comment: str):

    claim = ActorClaim.objects.select_for_update().select_related("actor", "user").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError("Cette demande de rattachement a déjà été traitée.")
    claim.status = status
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.decision_comment = comment.strip()
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return claim


@transaction.atomic
def approve_actor_claim(*, claim, by: User, comment: str = ""):
    """Validate the claim: the applicant becomes a member of the structure and is told by e-mail."""

    claim = _decide_claim(claim=claim, by=by, status=ClaimStatus.APPROVED, comment=comment)
    Membership.objects.update_or_create(
        user=claim.user, actor=claim.actor, defaults={"position": claim.position, "is_active": True}
    )
    transaction.on_commit(lambda: _send_claim_email(claim=claim, template="claim_approved"))
    return claim


@transaction.atomic
def reject_actor_claim(*, claim, by: User, comment: str):
    """Refuse the claim; the applicant receives the reason by e-mail."""

    if not comment.strip():
        raise ValidationError("Indiquez le motif du refus : il est envoyé au demandeur.")
    claim = _decide_claim(claim=claim, by=by, status=ClaimStatus.REJECTED, comment=comment)
    transaction.on_commit(lambda: _send_claim_email(claim=claim, template="claim_rejected"))
    return claim


def _send_claim_email(*, claim, template: str) -> None:
    context = {"claim": claim, "user": claim.user, "actor": claim.actor, "site_url": settings.SITE_URL.rstrip("/")}
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(subject, body, None, [claim.user.email])
