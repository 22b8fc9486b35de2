"""Forms of the support schemes (staff) and of the applicant's side: the application steps, answers to
information requests, withdrawal and final report. Parsing only: the rules live on the models and in
funding/services.py."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from actors.enums import LegalForm
from actors.models import Actor, Commune
from ess_portal.formatting import format_euros
from ess_portal.forms import DateInput
from filieres.models import Segment
from funding.documents import ACCEPT_ATTRIBUTE, ALLOWED_TYPES_TEXT, MAX_DOCUMENT_SIZE, validate_document
from funding.enums import DocumentKind, FinancingSide
from funding.models import Application, DeclaredAid, FinancingLine, SupportScheme
from quadripartite.models import Partner

# The Métropole is the funder applied to: its part is the requested amount, not a co-financer line.
METROPOLE_PARTNER_SLUG = "bordeaux-metropole"
DECLARED_AID_YEARS = 3
DOCUMENT_HELP = f"Formats acceptés : {ALLOWED_TYPES_TEXT} ; {MAX_DOCUMENT_SIZE // (1024 * 1024)} Mo au plus."


class DocumentField(forms.FileField):
    """One uploaded document: type checked on content, 10 Mo at most (funding/documents.py)."""

    default_validators = [validate_document]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DOCUMENT_HELP)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleDocumentField(DocumentField):
    """Several documents in one input (each one checked)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item] or ([] if not self.required else None)
        return [single_clean(data, initial)] if data else []


# --- Support schemes (staff) -------------------------------------------------------------------------------


class SupportSchemeForm(forms.ModelForm):
    eligible_legal_forms = forms.MultipleChoiceField(
        label="Formes juridiques éligibles",
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : toutes les formes de l’ESS.",
    )
    required_documents = forms.MultipleChoiceField(
        label="Pièces obligatoires",
        choices=[(kind.value, kind.label) for kind in DocumentKind if kind != DocumentKind.FINAL_REPORT],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les statuts, le RIB, les comptes et le rapport d’activité sont repris du coffre-fort de la "
        "structure quand ils sont encore valables.",
    )

    class Meta:
        model = SupportScheme
        fields = [
            "title",
            "description",
            "filieres",
            "eligible_legal_forms",
            "budget_line",
            "state_aid_regime",
            "opens_on",
            "closes_on",
            "ceiling_amount",
            "required_documents",
            "plan_action",
            "is_published",
        ]
        widgets = {
            "filieres": forms.CheckboxSelectMultiple,
            "opens_on": DateInput,
            "closes_on": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = self.fields["budget_line"].queryset.order_by("-year", "position")
        self.fields["plan_action"].queryset = self.fields["plan_action"].queryset.select_related("sheet")

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "La date de clôture doit suivre la date d’ouverture.")
        return cleaned

    def save(self, commit=True):
        scheme = super().save(commit=False)
        if not scheme.slug:
            scheme.slug = unique_scheme_slug(scheme.title)
        if commit:
            scheme.save()
            self.save_m2m()
        return scheme


def unique_scheme_slug(title: str) -> str:
    base = slugify(title)[:180] or "dispositif"
    slug, number = base, 1
    while SupportScheme.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


# --- Application steps --------------------------------------------------------------------------------------


class ApplicationStartForm(forms.Form):
    """Step 1: the structure (one the user acts for) and an open scheme it is eligible to."""

    actor = forms.ModelChoiceField(label="Structure", queryset=Actor.objects.none(), empty_label=None)
    scheme = forms.ModelChoiceField(label="Dispositif de soutien", queryset=SupportScheme.objects.none())

    def __init__(self, *args, user, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        self.fields["actor"].queryset = Actor.objects.of_user(user).filter(is_archived=False).order_by("name")
        self.fields["scheme"].queryset = SupportScheme.objects.open_on(day).order_by("closes_on", "title")

    def clean(self):
        cleaned = super().clean()
        actor, scheme = cleaned.get("actor"), cleaned.get("scheme")
        if actor and scheme and not scheme.accepts(actor):
            self.add_error(
                "scheme",
                ValidationError(
                    "Le dispositif « %(scheme)s » n’est pas ouvert à « %(actor)s » (forme juridique ou filière "
                    "non éligible).",
                    params={"scheme": scheme, "actor": actor},
                ),
            )
        return cleaned


class ApplicationProjectForm(forms.ModelForm):
    """Step 2: the project. Only the title is needed to save a draft; the rest is checked at submission."""

    class Meta:
        model = Application
        fields = ["title", "summary", "filiere", "segment", "communes", "starts_on", "ends_on", "plan_action"]
        widgets = {
            "communes": forms.CheckboxSelectMultiple,
            "starts_on": DateInput,
            "ends_on": DateInput,
        }
        help_texts = {
            "summary": "Objectifs, public visé, activités prévues, résultats attendus.",
            "communes": "Les communes de la Métropole où le projet se déroule.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scheme = self.instance.scheme
        self.fields["segment"].queryset = Segment.objects.select_related("filiere").order_by("filiere", "name")
        self.fields["communes"].queryset = Commune.objects.order_by("name")
        self.fields["plan_action"].queryset = self.fields["plan_action"].queryset.select_related("sheet")
        if scheme is not None and scheme.pk:
            scheme_filieres = scheme.filieres.all()
            if scheme_filieres.exists():
                self.fields["filiere"].queryset = scheme_filieres
            if scheme.plan_action_id and not self.instance.plan_action_id:
                self.initial.setdefault("plan_action", scheme.plan_action_id)

    def clean(self):
        cleaned = super().clean()
        filiere, segment = cleaned.get("filiere"), cleaned.get("segment")
        if segment and filiere and segment.filiere_id != filiere.pk:
            self.add_error("segment", "Ce segment n’appartient pas à la filière choisie.")
        if segment and not filiere:
            cleaned["filiere"] = segment.filiere
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin du projet doit suivre son début.")
        return cleaned


class FinancingLineForm(forms.ModelForm):
    class Meta:
        model = FinancingLine
        fields = ["label", "amount", "partner"]
        labels = {"label": "Libellé", "amount": "Montant (€)"}

    def __init__(self, *args, side: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.side = side
        self.fields["amount"].widget.attrs.update({"step": "0.01", "min": "0.01", "data-financing-amount": side})
        if side == FinancingSide.EXPENSE:
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = Partner.objects.exclude(slug=METROPOLE_PARTNER_SLUG)
            self.fields["partner"].label = "Cofinanceur partenaire (facultatif)"
            self.fields["partner"].help_text = "Si cette ressource vient de l’une des collectivités partenaires."

    def save(self, commit=True):
        self.instance.side = self.side
        return super().save(commit=commit)


class BaseFinancingLineFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, side: str, **kwargs):
        self.side = side
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset.filter(side=side).select_related("partner")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "side": self.side}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            side=self.side,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


FinancingLineFormSet = forms.inlineformset_factory(
    Application,
    FinancingLine,
    form=FinancingLineForm,
    formset=BaseFinancingLineFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def financing_formsets(data=None, *, application) -> tuple[BaseFinancingLineFormSet, BaseFinancingLineFormSet]:
    return (
        FinancingLineFormSet(data, instance=application, side=FinancingSide.EXPENSE, prefix="depenses"),
        FinancingLineFormSet(data, instance=application, side=FinancingSide.RESOURCE, prefix="ressources"),
    )


class RequestedAmountForm(forms.ModelForm):
    """Step 4: the amount asked of the Métropole, at most the scheme's ceiling."""

    class Meta:
        model = Application
        fields = ["requested_amount"]
        help_texts = {"requested_amount": "Il apparaît dans le plan de financement comme ressource de la Métropole."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_amount"].widget.attrs.update({"step": "0.01", "min": "0"})
        scheme = self.instance.scheme
        if scheme is not None:
            self.fields["requested_amount"].help_text = (
                f"Plafond du dispositif : {format_euros(scheme.ceiling_amount)} par demande. "
                + self.fields["requested_amount"].help_text
            )

    def clean_requested_amount(self):
        amount = self.cleaned_data["requested_amount"]
        scheme = self.instance.scheme
        if scheme is not None and amount > scheme.ceiling_amount:
            raise ValidationError(
                "Le montant demandé (%(amount)s) dépasse le plafond du dispositif « %(scheme)s » : "
                "%(ceiling)s au plus par demande.",
                code="above_ceiling",
                params={
                    "amount": format_euros(amount),
                    "scheme": scheme,
                    "ceiling": format_euros(scheme.ceiling_amount),
                },
            )
        return amount


class DeclaredAidForm(forms.ModelForm):
    class Meta:
        model = DeclaredAid
        fields = ["funder", "amount", "granted_on", "regime"]
        widgets = {"granted_on": DateInput}

    def clean_granted_on(self):
        granted_on = self.cleaned_data["granted_on"]
        today = timezone.localdate()
        if granted_on > today:
            raise ValidationError("La date d’attribution ne peut pas être dans le futur.")
        if granted_on < today.replace(year=today.year - DECLARED_AID_YEARS):
            raise ValidationError("Ne déclarez que les aides des trois dernières années.")
        return granted_on


DeclaredAidFormSet = forms.inlineformset_factory(
    Application,
    DeclaredAid,
    form=DeclaredAidForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class DocumentsStepForm(forms.Form):
    """Step 5: one upload per required kind (vault kinds with their validity date), plus optional pieces.

    `reusable` maps a kind to the valid vault document that already provides it: its upload is optional
    (a newer version replaces it in the vault).
    """

    OTHER_KINDS = [(kind.value, kind.label) for kind in (DocumentKind.BUDGET, DocumentKind.QUOTE, DocumentKind.OTHER)]

    other_kind = forms.ChoiceField(label="Type de la pièce complémentaire", choices=OTHER_KINDS, required=False)
    other_files = MultipleDocumentField(label="Pièces complémentaires (facultatif)", required=False)

    def __init__(self, *args, required_kinds: list[str], reusable: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_kinds = required_kinds
        self.reusable = reusable
        vault_kinds = DocumentKind.vault_kinds()
        for kind in required_kinds:
            label = DocumentKind(kind).label
            self.fields[f"file_{kind}"] = DocumentField(
                label=f"{label} (nouvelle version)" if kind in reusable else label, required=False
            )
            if kind in vault_kinds:
                self.fields[f"valid_until_{kind}"] = forms.DateField(
                    label=f"{label} : valable jusqu’au",
                    required=False,
                    widget=DateInput,
                    help_text="La pièce est gardée dans le coffre-fort de la structure et reprise par ses "
                    "prochaines demandes jusqu’à cette date.",
                )

    def kind_fields(self):
        """(kind, label, reusable document, file field, validity field) for the template."""
        for kind in self.required_kinds:
            validity = self[f"valid_until_{kind}"] if f"valid_until_{kind}" in self.fields else None
            yield {
                "kind": kind,
                "label": DocumentKind(kind).label,
                "reusable": self.reusable.get(kind),
                "file": self[f"file_{kind}"],
                "valid_until": validity,
            }

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for kind in self.required_kinds:
            name = f"valid_until_{kind}"
            if name not in self.fields or not cleaned.get(f"file_{kind}"):
                continue
            valid_until = cleaned.get(name)
            if valid_until is None:
                self.add_error(name, "Indiquez jusqu’à quand cette pièce est valable.")
            elif valid_until < today:
                self.add_error(name, "Cette date est passée : déposez une pièce encore valable.")
        return cleaned

    def uploads(self) -> list[dict]:
        """What to store: kind, file, validity (vault kinds go to the vault, the others to the application)."""
        items = []
        for kind in self.required_kinds:
            upload = self.cleaned_data.get(f"file_{kind}")
            if upload:
                items.append(
                    {
                        "kind": kind,
                        "upload": upload,
                        "valid_until": self.cleaned_data.get(f"valid_until_{kind}"),
                        "to_vault": kind in DocumentKind.vault_kinds(),
                    }
                )
        for upload in self.cleaned_data.get("other_files") or []:
            kind = self.cleaned_data.get("other_kind") or DocumentKind.OTHER
            items.append({"kind": kind, "upload": upload, "valid_until": None, "to_vault": False})
        return items


# --- Follow-up ---------------------------------------------------------------------------------------------


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(label="Votre réponse", widget=forms.Textarea)
    files = MultipleDocumentField(label="Pièces jointes (facultatif)", required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Le retrait est définitif : pour un nouveau projet, déposez une nouvelle demande.",
    )


class FinalReportForm(forms.Form):
    file = DocumentField(label="Bilan final du projet")
