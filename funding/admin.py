from django.contrib import admin

from funding.models import Application, BudgetLine


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["label", "year", "section", "is_in_plan", "voted_amount", "position"]
    list_filter = ["year", "section", "is_in_plan"]
    search_fields = ["label", "code"]
    ordering = ["year", "section", "-is_in_plan", "position"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "actor", "requested_amount", "status", "submitted_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "actor__name", "actor__siret"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]
