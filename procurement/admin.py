from django.contrib import admin

from procurement.models import AsrListing, ConsultationEntry, ConsultationList, CpvCode, ExportLog


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


class ConsultationEntryInline(admin.TabularInline):
    model = ConsultationEntry
    raw_id_fields = ["listing"]
    extra = 0


@admin.register(ConsultationList)
class ConsultationListAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "updated_at"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["shared_with"]
    inlines = [ConsultationEntryInline]


@admin.register(ConsultationEntry)
class ConsultationEntryAdmin(admin.ModelAdmin):
    list_display = ["consultation_list", "listing", "added_at"]
    raw_id_fields = ["consultation_list", "listing"]
