from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scic.models import CapitalRecord, LiaisonMeeting, PublicHolding, Representative, Scic, ShareMovement


@admin.register(Scic)
class ScicAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "framework_deliberation_number", "framework_deliberation_on"]
    search_fields = ["actor__name", "actor__siret"]
    raw_id_fields = ["actor"]


@admin.register(CapitalRecord)
class CapitalRecordAdmin(SimpleHistoryAdmin):
    list_display = ["scic", "recorded_on", "amount"]
    raw_id_fields = ["scic"]


@admin.register(PublicHolding)
class PublicHoldingAdmin(SimpleHistoryAdmin):
    list_display = ["scic", "holder_name", "holder_kind", "amount", "held_from", "held_until"]
    raw_id_fields = ["scic"]


@admin.register(ShareMovement)
class ShareMovementAdmin(SimpleHistoryAdmin):
    # Movements are written by scic.services (the fund line and the 50 % cap): read-only here.
    list_display = ["scic", "kind", "moved_on", "shares", "nominal", "amount"]
    list_filter = ["kind"]
    readonly_fields = ["commitment"]
    raw_id_fields = ["scic"]

    def has_add_permission(self, request):
        return False


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["person_name", "scic", "body", "mandate_start_on", "mandate_end_on"]
    raw_id_fields = ["scic"]


@admin.register(LiaisonMeeting)
class LiaisonMeetingAdmin(admin.ModelAdmin):
    list_display = ["scic", "held_on"]
    raw_id_fields = ["scic"]
