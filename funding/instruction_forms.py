"""Forms of the staff instruction pages, council sessions and bulk decisions (parsing only: rules live in
funding/services.py)."""

from django import forms

from accounts.enums import Role
from accounts.models import User
from actors.models import Actor
from ess_portal.forms import DateInput, KeyedForm
from funding.enums import CommitmentKind, PaymentKind
from funding.models import CouncilSession, Payment


class AssignForm(forms.Form):
    instructor = forms.ModelChoiceField(label="Instructeur", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = (
            User.objects.with_role(Role.STAFF).filter(is_active=True).order_by("last_name", "first_name")
        )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label="Compléments demandés",
        help_text="Ce message est envoyé par courriel aux membres de la structure.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label="Note interne",
        help_text="Jamais visible du porteur de projet.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="Avis de l’instructeur", widget=forms.Textarea(attrs={"rows": 4}))
    proposed_amount = forms.DecimalField(label="Montant proposé (€)", max_digits=12, decimal_places=2, min_value=0.01)


class JustificationForm(forms.Form):
    justification = forms.CharField(
        label="Justification du dépassement du plafond de minimis", widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeForm(forms.Form):
    session = forms.ModelChoiceField(label="Séance du conseil", queryset=CouncilSession.objects.none())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = CouncilSession.objects.filter(sits_on__gte=today).order_by("sits_on")


class SignAgreementForm(forms.Form):
    signed_on = forms.DateField(label="Convention signée le", widget=DateInput())


class OpenDataPublicationForm(forms.Form):
    published_on = forms.DateField(label="Publiée en données ouvertes le", widget=DateInput())


class PaymentForm(forms.Form):
    payment = forms.ModelChoiceField(label="Versement", queryset=Payment.objects.none())
    paid_on = forms.DateField(label="Versé le", widget=DateInput())
    payment_order_number = forms.CharField(label="Numéro de mandat", max_length=30)

    def __init__(self, *args, commitment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if commitment is not None:
            self.fields["payment"].queryset = commitment.payments.filter(paid_on__isnull=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Motif du retrait", widget=forms.Textarea(attrs={"rows": 2}))


class CouncilSessionForm(forms.ModelForm):
    class Meta:
        model = CouncilSession
        fields = ["title", "sits_on"]
        widgets = {"sits_on": DateInput()}


class SessionDecisionForm(forms.Form):
    """One proposed application of the sitting: approve with an amount, or refuse with a reason."""

    application_id = forms.IntegerField(widget=forms.HiddenInput)
    approved = forms.TypedChoiceField(
        label="Décision",
        choices=[("1", "Accordée"), ("0", "Refusée")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(label="Montant accordé (€)", max_digits=12, decimal_places=2, required=False)
    deliberation_number = forms.CharField(label="N° de délibération", max_length=50)
    refusal_reason = forms.CharField(label="Motif du refus", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("approved") is True and not data.get("amount"):
            self.add_error("amount", "Indiquez le montant accordé.")
        if data.get("approved") is False and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", "Indiquez le motif du refus.")
        return data


class SessionDecisionBaseFormSet(forms.BaseFormSet):
    pass


SessionDecisionFormSet = forms.formset_factory(
    SessionDecisionForm, formset=SessionDecisionBaseFormSet, extra=0, can_delete=False
)


class SessionDecidedOnForm(forms.Form):
    decided_on = forms.DateField(label="Date des délibérations", widget=DateInput())


class SpendingForm(KeyedForm):
    """A spending that is not a grant, on the line of the page; `form_key` makes a double submit commit once."""

    kind = forms.ChoiceField(
        label="Nature de la dépense", choices=[("", "---------")] + CommitmentKind.spending_choices()
    )
    amount = forms.DecimalField(label="Montant à engager (€)", max_digits=12, decimal_places=2, min_value=0.01)
    label = forms.CharField(label="Objet de la dépense", max_length=200)
    beneficiary = forms.CharField(
        label="Structure bénéficiaire (SIRET ou numéro de fiche)",
        max_length=20,
        required=False,
        help_text="Le SIRET de la structure, ou le numéro de sa fiche dans le répertoire des acteurs (dans l’adresse "
        "de la fiche).",
    )
    beneficiary_name = forms.CharField(
        label="Ou bénéficiaire hors répertoire",
        max_length=200,
        required=False,
        help_text="Le nom du fournisseur ou de l’organisme, s’il n’est pas dans le répertoire.",
    )
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=50, required=False)
    deliberation_on = forms.DateField(label="Date de la délibération", required=False, widget=DateInput)
    legal_commitment_number = forms.CharField(
        label="Numéro d’engagement juridique (EJ)",
        max_length=30,
        required=False,
        help_text="Laissé vide, le portail en attribue un.",
    )

    def clean_beneficiary(self) -> Actor | None:
        """A SIRET (14 digits, spaces allowed) or a record number of an active structure of the registry."""
        value = "".join(self.cleaned_data["beneficiary"].split())
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError("Saisissez un SIRET (14 chiffres) ou un numéro de fiche.")
        lookup = {"siret": value} if len(value) == 14 else {"pk": int(value)}
        actor = Actor.objects.active().filter(**lookup).first()
        if actor is None:
            raise forms.ValidationError(
                "Aucune structure active du répertoire ne porte ce SIRET."
                if len(value) == 14
                else "Aucune structure active du répertoire ne porte ce numéro."
            )
        return actor


class SpendingPaymentForm(KeyedForm):
    """A payment made on a spending commitment (mandat); `form_key` makes a double submit record it once."""

    kind = forms.ChoiceField(label="Nature", choices=PaymentKind.choices, initial=PaymentKind.SINGLE)
    amount = forms.DecimalField(label="Montant versé (€)", max_digits=12, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label="Date du versement", widget=DateInput)
    payment_order_number = forms.CharField(label="Numéro de mandat", max_length=30)


class BudgetRevisionForm(KeyedForm):
    """The vote of a line's budget or a décision modificative; `form_key` makes a double submit record it once."""

    amount = forms.DecimalField(label="Montant voté (€)", max_digits=12, decimal_places=2, min_value=0)
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=50)
    deliberated_on = forms.DateField(label="Date de la délibération", widget=DateInput)
