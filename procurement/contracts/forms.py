"""Forms of contracts with insertion clauses: the contract, its lots with their clause (a formset), hours reports."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from actors.forms import SiretField
from actors.models import validate_siret
from ess_portal.formatting import format_euros, format_number
from ess_portal.forms import DateInput
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours

HOURS_MIN = Decimal("0.01")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y")


def _hours_field(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=HOURS_MIN,
        help_text=help_text,
        error_messages={"min_value": "Indiquez un nombre d’heures supérieur à zéro."},
    )


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} – {user.email}" if name else user.email


class ContractForm(forms.ModelForm):
    facilitator = FacilitatorChoiceField(
        label="Facilitateur PLIE",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Aucun pour l’instant",
        help_text="La personne qui suit les clauses et déclare les heures réalisées ; "
        "elle ne voit que les marchés qu’elle facilite.",
    )

    class Meta:
        model = Contract
        fields = ["reference", "title", "buying_direction", "starts_on", "ends_on", "amount", "facilitator"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {
            "reference": "Numéro du marché attribué par la direction des achats, par exemple 2025-M-0142.",
            "amount": "Montant hors taxes du marché, en euros.",
        }
        error_messages = {"reference": {"unique": "Un marché porte déjà cette référence."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        if self.instance.facilitator_id:
            users = get_user_model().objects.filter(Q(is_active=True) | Q(pk=self.instance.facilitator_id))
        self.fields["facilitator"].queryset = users.order_by("last_name", "first_name", "email")
        self.fields["amount"].min_value = 0
        self.fields["amount"].widget.attrs["min"] = "0"

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", "La fin d’exécution ne peut pas précéder son début.")
            elif self.instance.pk:
                outside = (
                    InsertionHours.objects.filter(clause__lot__contract=self.instance)
                    .filter(Q(period_start__lt=starts_on) | Q(period_end__gt=ends_on))
                    .order_by("period_start")
                    .first()
                )
                if outside is not None:
                    raise forms.ValidationError(
                        f"Des heures déclarées sortent de ces dates d’exécution ({outside.company_name}, "
                        f"du {_date(outside.period_start)} au {_date(outside.period_end)}) : "
                        "corrigez d’abord la déclaration ou choisissez d’autres dates."
                    )
        return cleaned


class LotForm(forms.ModelForm):
    """A lot and, when hours are given, its insertion clause."""

    holder_siret = SiretField(
        label="SIRET du titulaire", required=False, max_length=20, validators=[validate_siret], help_text="Facultatif."
    )
    hours_required = _hours_field(
        "Heures d’insertion exigées",
        required=False,
        help_text="Laissez vide si ce lot n’a pas de clause d’insertion.",
    )
    public_concerned = forms.CharField(
        label="Publics concernés",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : demandeurs d’emploi de longue durée, allocataires du RSA, jeunes sans qualification.",
    )

    class Meta:
        model = ContractLot
        fields = ["number", "title", "amount", "holder_name", "holder_siret"]
        error_messages = {"number": {"required": "Indiquez le numéro du lot."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].min_value = 0
        self.fields["number"].min_value = 1
        clause = self.existing_clause
        if clause is not None:
            self.fields["hours_required"].initial = clause.hours_required
            self.fields["public_concerned"].initial = clause.public_concerned
        self.fields["holder_siret"].widget.attrs["inputmode"] = "numeric"

    @property
    def existing_clause(self) -> InsertionClause | None:
        if self.instance.pk is None:
            return None
        return getattr(self.instance, "insertion_clause", None)

    @property
    def clause_has_hours(self) -> bool:
        clause = self.existing_clause
        return clause is not None and clause.hours_reports.exists()

    def clean(self):
        cleaned = super().clean()
        hours, public = cleaned.get("hours_required"), (cleaned.get("public_concerned") or "").strip()
        cleaned["public_concerned"] = public
        if hours and not public:
            self.add_error("public_concerned", "Précisez les publics concernés par la clause d’insertion.")
        if public and not hours and "hours_required" not in self.errors:
            self.add_error("hours_required", "Indiquez les heures exigées, ou videz les publics concernés.")
        if not hours and "hours_required" not in self.errors and self.clause_has_hours:
            self.add_error(
                "hours_required",
                "Des heures ont déjà été déclarées sur ce lot : sa clause d’insertion ne peut pas être retirée.",
            )
        return cleaned


class BaseLotFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Our checks first, so that two lots with one number get our message rather than the generic one.
        if any(self.errors):
            return
        numbers, total, kept = set(), Decimal(0), 0
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.clause_has_hours:
                    raise forms.ValidationError(
                        f"Le lot {form.instance.number} ne peut pas être supprimé : "
                        "des heures d’insertion y ont été déclarées."
                    )
                continue
            kept += 1
            number = form.cleaned_data.get("number")
            if number in numbers:
                raise forms.ValidationError(f"Deux lots portent le numéro {number} : chaque lot a son propre numéro.")
            numbers.add(number)
            total += form.cleaned_data.get("amount") or 0
        if kept == 0:
            raise forms.ValidationError("Indiquez au moins un lot (un marché non alloti compte un lot unique).")
        amount = getattr(self.instance, "amount", None)
        if amount is not None and total > amount:
            raise forms.ValidationError(
                f"La somme des montants des lots ({format_euros(total)}) dépasse le montant du marché "
                f"({format_euros(amount)})."
            )
        super().clean()


LotFormSet = forms.inlineformset_factory(
    Contract, ContractLot, form=LotForm, formset=BaseLotFormSet, extra=1, can_delete=True
)


class InsertionHoursForm(forms.ModelForm):
    """Hours realised under one lot's clause, for one company and one period."""

    clause = forms.ModelChoiceField(label="Lot", queryset=InsertionClause.objects.none(), empty_label=None)
    company_siret = SiretField(
        label="SIRET de l’entreprise",
        required=False,
        max_length=20,
        validators=[validate_siret],
        help_text="Facultatif ; s’il est indiqué, sa clé de contrôle est vérifiée.",
    )
    hours = _hours_field("Heures réalisées", required=True)

    class Meta:
        model = InsertionHours
        fields = [
            "clause",
            "company_name",
            "company_siret",
            "period_start",
            "period_end",
            "hours",
            "beneficiaries",
            "comment",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "company_name": "Le titulaire du lot ou l’un de ses sous-traitants.",
            "beneficiaries": "Nombre de personnes en parcours d’insertion ayant réalisé ces heures.",
        }
        labels = {"period_start": "Période du", "period_end": "au"}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["clause"].queryset = (
            InsertionClause.objects.filter(lot__contract=contract).select_related("lot").order_by("lot__number")
        )
        self.fields["clause"].label_from_instance = lambda clause: (
            f"Lot {clause.lot.number} – {clause.lot.title} ({format_number(clause.hours_required, 2)} h exigées)"
        )
        self.fields["company_siret"].widget.attrs["inputmode"] = "numeric"
        self.fields["hours"].widget.attrs["step"] = "0.01"
        for name in ("period_start", "period_end"):
            self.fields[name].widget.attrs.update(min=contract.starts_on.isoformat(), max=contract.ends_on.isoformat())

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        contract = self.contract
        if start and end:
            if end < start:
                self.add_error("period_end", "La fin de la période ne peut pas précéder son début.")
            elif start < contract.starts_on or end > contract.ends_on:
                self.add_error(
                    "period_start" if start < contract.starts_on else "period_end",
                    f"La période doit être comprise dans l’exécution du marché, du {_date(contract.starts_on)} "
                    f"au {_date(contract.ends_on)}.",
                )
        clause, company = cleaned.get("clause"), cleaned.get("company_name")
        if clause and company and start and end and not self.errors:
            same_company = InsertionHours.objects.filter(clause=clause, company_name__iexact=company).exclude(
                pk=self.instance.pk
            )
            duplicate = same_company.filter(period_start__lte=end, period_end__gte=start).order_by("period_start")
            duplicate = duplicate.first()
            if duplicate is not None:
                raise forms.ValidationError(
                    f"Des heures de {duplicate.company_name} sont déjà déclarées sur le lot {clause.lot.number} "
                    f"pour une période qui chevauche celle-ci (du {_date(duplicate.period_start)} au "
                    f"{_date(duplicate.period_end)}, {duplicate.hours:.2f} h) : modifiez cette déclaration "
                    "plutôt que d’en ajouter une seconde."
                )
        return cleaned


class HoursDeletionForm(forms.Form):
    """Why a report of hours is deleted (kept in its history)."""

    reason = forms.CharField(
        label="Motif de la suppression",
        max_length=100,
        help_text="Par exemple : déclaration en double, erreur de marché. Le motif est conservé dans l’historique.",
        error_messages={"required": "Indiquez le motif de la suppression."},
    )
