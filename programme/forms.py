from django import forms
from django.utils import timezone

from programme.models import Action, Milestone


class ActionTrackingForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["status", "progress", "responsible_service"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError("La date de réalisation ne peut pas être dans le futur.")
        return done_on
