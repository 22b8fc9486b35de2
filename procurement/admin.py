from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList, ExportLog
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from procurement.cpv.models import CpvCode
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from procurement.spend.models import Purchase, PurchaseImport


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


class SourcingRecipientInline(admin.TabularInline):
    model = SourcingRecipient
    raw_id_fields = ["listing", "answered_by"]
    extra = 0


@admin.register(SourcingRequest)
class SourcingRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "buyer", "answer_by", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    raw_id_fields = ["buyer"]
    filter_horizontal = ["cpv_codes", "communes"]
    inlines = [SourcingRecipientInline]


@admin.register(SourcingRecipient)
class SourcingRecipientAdmin(admin.ModelAdmin):
    list_display = ["request", "listing", "notified_at", "viewed_at", "answer"]
    list_filter = ["answer"]
    raw_id_fields = ["request", "listing", "answered_by"]


@admin.register(PurchaseImport)
class PurchaseImportAdmin(admin.ModelAdmin):
    list_display = ["year", "original_filename", "row_count", "total_amount", "is_current", "imported_at"]
    list_filter = ["year", "is_current"]
    raw_id_fields = ["imported_by"]


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["purchase_import", "row_number", "supplier_siret", "siret_match", "amount", "buying_direction"]
    list_filter = ["siret_match"]
    search_fields = ["supplier_siret", "supplier_name"]
    raw_id_fields = ["purchase_import", "actor"]


class ContractLotInline(admin.TabularInline):
    model = ContractLot
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "buying_direction", "starts_on", "ends_on", "amount"]
    search_fields = ["reference", "title"]
    raw_id_fields = ["facilitator", "created_by"]
    inlines = [ContractLotInline]


@admin.register(ContractLot)
class ContractLotAdmin(admin.ModelAdmin):
    list_display = ["contract", "number", "title", "amount", "holder_name"]
    search_fields = ["contract__reference", "title", "holder_name"]
    raw_id_fields = ["contract"]


@admin.register(InsertionClause)
class InsertionClauseAdmin(SimpleHistoryAdmin):
    list_display = ["lot", "hours_required"]
    raw_id_fields = ["lot"]


@admin.register(InsertionHours)
class InsertionHoursAdmin(SimpleHistoryAdmin):
    list_display = ["clause", "company_name", "period_start", "period_end", "hours"]
    search_fields = ["company_name", "company_siret"]
    raw_id_fields = ["clause", "reported_by"]
