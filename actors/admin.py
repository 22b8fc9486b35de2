from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Membership
from actors.models import Actor, ActorClaim, ActorImport, Agrement, Commune, Contact


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


class AgrementInline(admin.TabularInline):
    model = Agrement
    extra = 0
    fields = ["kind", "siae_type", "obtained_on", "expires_on", "reference"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "is_public"]


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "siret", "legal_form", "commune", "fte", "is_public", "is_archived"]
    list_filter = ["legal_form", "filieres", "is_public", "is_archived", "commune"]
    search_fields = ["name", "siret", "address", "commune__name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "filieres", "segments"]
    readonly_fields = ["created_at", "updated_at", "geocoded_at"]
    inlines = [AgrementInline, ContactInline, MembershipInline]
    # Django 5.2 warns about the default scheme of URL form fields until Django 6 makes https the default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "siret", "legal_form", "description", "website"]}),
        (
            "Implantation",
            {
                "fields": [
                    "address",
                    "postal_code",
                    "commune",
                    "latitude",
                    "longitude",
                    "location_precision",
                    "geocoded_at",
                ]
            },
        ),
        ("Activité", {"fields": ["fte", "founded_year", "filieres", "segments"]}),
        ("Publication", {"fields": ["is_public", "is_archived", "verified_at", "created_at", "updated_at"]}),
    ]


@admin.register(Agrement)
class AgrementAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "kind", "siae_type", "obtained_on", "expires_on"]
    list_filter = ["kind", "siae_type"]
    search_fields = ["actor__name", "actor__siret", "reference"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor"]
    date_hierarchy = "expires_on"


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "actor", "email", "phone", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["name", "email", "actor__name"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor"]


@admin.register(ActorClaim)
class ActorClaimAdmin(admin.ModelAdmin):
    list_display = ["actor", "user", "position", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["actor__name", "actor__siret", "user__email"]
    list_select_related = ["actor", "user", "decided_by"]
    autocomplete_fields = ["actor", "user"]
    readonly_fields = ["created_at"]


@admin.register(ActorImport)
class ActorImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made on /acteurs/import/, whose pages check the file and validate every row."""

    list_display = ["original_name", "status", "row_count", "created_count", "updated_count", "rejected_count"]
    list_filter = ["status", "file_format"]
    search_fields = ["original_name", "created_by__email"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
