from django import forms
from django.utils import timezone

from programme.models import Action, Milestone, Realisation


class ActionTrackingForm(forms.ModelForm):
    """Status, progress, service and weight; an action with sub-actions chooses its roll-up instead of a status and
    a progress, both computed from its sub-actions."""

    class Meta:
        model = Action
        fields = ["status", "progress", "responsible_service", "rollup", "weight"]
        help_texts = {"responsible_service": "Interne au service : n’apparaît pas sur la page publique du plan."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_sub_actions = bool(self.instance.load_sub_actions())
        if self.has_sub_actions:
            del self.fields["status"]
            del self.fields["progress"]
        else:
            del self.fields["rollup"]

    def clean(self):
        cleaned_data = super().clean()
        if self.has_sub_actions:
            # The stored progress of a parent mirrors its sub-actions, so that "done" still means 100 %.
            self.instance.rollup = cleaned_data.get("rollup", self.instance.rollup)
            self.instance.progress = self.instance.progress_value
            self.instance.status = self.instance.status_value
        return cleaned_data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        help_texts = {
            "title": "Jalon de suivi interne au service : seuls les engagements datés du plan sont publics.",
        }
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError("La date de réalisation ne peut pas être dans le futur.")
        return done_on


class RealisationForm(forms.ModelForm):
    link = forms.URLField(
        label="Lien",
        required=False,
        assume_scheme="https",
        help_text=Realisation._meta.get_field("link").help_text,
    )

    class Meta:
        model = Realisation
        fields = ["kind", "title", "happened_on", "description", "link"]
        help_texts = {
            "title": "Public, comme le type, la date et le lien : affiché sur la page publique de l’action.",
            "description": "Interne au service : n’apparaît pas sur la page publique de l’action.",
        }
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
