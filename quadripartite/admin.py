from django.contrib import admin

from quadripartite.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
