from django.contrib import admin

from procurement.models import AsrListing, CpvCode, ExportLog


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "parent"]
    search_fields = ["code", "label"]
    raw_id_fields = ["parent"]


@admin.register(AsrListing)
class AsrListingAdmin(admin.ModelAdmin):
    list_display = ["actor", "status", "last_verified_on", "updated_at"]
    list_filter = ["status"]
    search_fields = ["actor__name", "actor__siret"]
    raw_id_fields = ["actor"]
    filter_horizontal = ["cpv_codes", "communes"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "file_format", "row_count"]
    list_filter = ["file_format"]
    readonly_fields = ["user", "created_at", "filters", "columns", "row_count", "file_format"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
