from django.contrib import admin
from django.db import models

from accounts.models import Membership
from actors.models import Actor, Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "latitude", "longitude"]
    search_fields = ["name", "insee_code"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "position", "is_active", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "legal_form", "commune", "fte", "is_public", "is_archived"]
    list_filter = ["legal_form", "filieres", "is_public", "is_archived", "commune"]
    search_fields = ["name", "siret", "address", "commune__name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "filieres", "segments"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]
    # Django 5.2 warns about the default scheme of URL form fields until Django 6 makes https the default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "siret", "legal_form", "description", "website"]}),
        ("Implantation", {"fields": ["address", "postal_code", "commune", "latitude", "longitude"]}),
        ("Activité", {"fields": ["fte", "founded_year", "filieres", "segments"]}),
        ("Publication", {"fields": ["is_public", "is_archived", "created_at", "updated_at"]}),
    ]
