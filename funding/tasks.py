"""E-mails of the grants workflow, sent by Celery once the writing transaction has committed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from accounts.enums import Role
from accounts.models import User
from funding.models import Application, Decision, InformationRequest, Payment

logger = logging.getLogger(__name__)

EVENTS = ("submitted", "information_requested", "decision", "payment")


def _member_emails(application: Application) -> list[str]:
    return list(
        User.objects.filter(memberships__actor_id=application.actor_id, memberships__is_active=True, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _staff_emails(application: Application) -> list[str]:
    if application.instructor_id and application.instructor.email:
        return [application.instructor.email]
    return list(
        User.objects.with_role(Role.STAFF)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def _url(name: str, pk: int) -> str:
    try:
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:  # the applicant pages are another part of the portal; the mail still goes out
        return settings.SITE_URL.rstrip("/")


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    subject = " ".join(render_to_string(f"funding/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"funding/emails/{template}.txt", context)
    return send_mail(subject, body, None, recipients)


@shared_task(bind=True, name="funding.send_application_notification", max_retries=3, ignore_result=True)
def send_application_notification(self, application_id: int, event: str, object_id: int | None = None) -> int:
    """Send the French e-mail of a workflow event; returns how many messages left.

    Reads the rows again, so a late message describes the current state; a deleted row sends nothing.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown funding notification: {event}")
    application = Application.objects.select_related("actor", "scheme", "instructor").filter(pk=application_id).first()
    if application is None:
        return 0
    context = {
        "application": application,
        "applicant_url": _url("funding:applicant_application_detail", application.pk),
        "staff_url": _url("funding:application_staff_detail", application.pk),
    }
    try:
        if event == "submitted":
            return _send("submitted", context, _member_emails(application)) + _send(
                "submitted_staff", context, _staff_emails(application)
            )
        if event == "information_requested":
            context["request"] = InformationRequest.objects.filter(pk=object_id).first()
            return _send("information_requested", context, _member_emails(application))
        if event == "decision":
            context["decision"] = Decision.objects.filter(pk=object_id).first()
            if context["decision"] is None:
                return 0
            return _send("decision", context, _member_emails(application))
        context["payment"] = Payment.objects.filter(pk=object_id).first()
        if context["payment"] is None:
            return 0
        return _send("payment", context, _member_emails(application))
    except OSError as error:  # SMTP unreachable: try again later
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
