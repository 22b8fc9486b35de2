from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.html import format_html

from accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with the e-mail in the `username` field (what django-axes reads)."""

    username = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # The same message whether the account exists, is not confirmed yet or the password is wrong.
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Si vous venez de créer votre compte, "
            "confirmez d’abord votre adresse e-mail avec le lien reçu par courriel."
        ),
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        # E-mails are stored in lower case; the lockout counts failures per lower-cased address too.
        return User.objects.normalize_email(self.cleaned_data["username"]).lower()


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Un lien de confirmation y sera envoyé.",
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organisation = forms.CharField(
        label="Structure",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="La structure de l’économie sociale et solidaire pour laquelle vous agissez, si vous en avez une.",
    )
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères. Une phrase de passe facile à retenir convient très bien.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Saisissez le même mot de passe.",
    )
    accept_privacy_notice = forms.BooleanField(
        label="J’ai lu la notice sur les données personnelles et j’accepte le traitement de mes données.",
        error_messages={
            "required": "Vous devez accepter la notice sur les données personnelles pour créer un compte.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_privacy_notice"].help_text = format_html(
            'Lire la <a href="{}">notice sur les données personnelles</a>.', reverse_lazy("legal_notice")
        )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(duplicate_email_message(), code="duplicate_email")
        return email

    def clean(self):
        cleaned_data = super().clean()
        password1, password2 = cleaned_data.get("password1"), cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        if password1:
            # The similarity check compares the password with the name and e-mail just typed.
            candidate = User(
                email=cleaned_data.get("email", ""),
                first_name=cleaned_data.get("first_name", ""),
                last_name=cleaned_data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data


def duplicate_email_message():
    # Says only that the address is taken, and how to get back in: nothing about the account itself.
    return format_html(
        'Un compte existe déjà avec cette adresse e-mail. <a href="{}">Connectez-vous</a>, '
        '<a href="{}">réinitialisez votre mot de passe</a> ou, si vous n’avez pas confirmé votre adresse, '
        '<a href="{}">demandez un nouveau lien de confirmation</a>.',
        reverse_lazy("accounts:login"),
        reverse_lazy("accounts:password_reset"),
        reverse_lazy("accounts:resend_confirmation"),
    )


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="L’adresse avec laquelle vous avez créé votre compte.",
    )
