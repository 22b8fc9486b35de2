from axes.utils import reset as reset_login_attempts
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.enums import Role
from accounts.forms import EmailAuthenticationForm, ResendConfirmationForm, SignupForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Whoever set a new password through the e-mailed link owns the account: lift its login lockout.
        reset_login_attempts(username=form.user.email)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return super().form_valid(form)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_applicant(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email")})


@login_not_required
def confirm_email(request, token):
    try:
        services.confirm_email(token=token)
    except services.InvalidConfirmationLink as error:
        form = ResendConfirmationForm()
        return render(request, "accounts/confirm_email_failed.html", {"reason": error.reason, "form": form})
    messages.success(
        request, "Votre adresse e-mail est confirmée et votre compte est activé. Vous pouvez vous connecter."
    )
    return redirect("accounts:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"])
        messages.success(
            request,
            "Si un compte en attente de confirmation correspond à cette adresse, "
            "un nouveau lien de confirmation vient de lui être envoyé. Il est valable 3 jours.",
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


def profile(request):
    user = request.user
    roles = [role.label for role in Role if user.has_role(role)]
    memberships = user.memberships.active().select_related("actor").order_by("actor__name")
    return render(request, "accounts/profile.html", {"roles": roles, "memberships": memberships})
