from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from events.models import (
    CalendarToken,
    Event,
    GsefDocument,
    GsefParticipation,
    JuryMember,
    Laureate,
    PrizeCandidate,
    PrizeCategory,
    PrizeEdition,
)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "commune", "is_public", "plan_action_code"]
    list_filter = ["kind", "is_public", "commune"]
    search_fields = ["title", "place"]
    raw_id_fields = ["actors", "created_by"]
    filter_horizontal = ["organising_partners", "organising_communes"]


class PrizeCategoryInline(admin.TabularInline):
    model = PrizeCategory
    extra = 0


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0


@admin.register(PrizeEdition)
class PrizeEditionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "ceremony"]
    inlines = [PrizeCategoryInline, JuryMemberInline]


@admin.register(PrizeCategory)
class PrizeCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "edition", "position"]
    list_filter = ["edition"]


@admin.register(PrizeCandidate)
class PrizeCandidateAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "category", "project"]
    list_filter = ["category__edition"]
    raw_id_fields = ["actor"]


@admin.register(JuryMember)
class JuryMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "edition"]


@admin.register(Laureate)
class LaureateAdmin(SimpleHistoryAdmin):
    list_display = ["candidate", "amount", "commitment"]
    raw_id_fields = ["candidate", "commitment", "awarded_by"]


@admin.register(GsefParticipation)
class GsefParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "held_on", "place"]
    list_filter = ["kind"]


@admin.register(GsefDocument)
class GsefDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "participation", "uploaded_at"]
    raw_id_fields = ["participation", "uploaded_by"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(SimpleHistoryAdmin):
    """Admins may revoke a subscription (delete); the secret itself is never shown."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
