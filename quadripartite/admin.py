from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quadripartite.models import (
    Attendee,
    ConventionDocument,
    Decision,
    Meeting,
    OrganiserOverride,
    Partner,
    PartnerMember,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_signatory", "rotation_order", "position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["actor"]


@admin.register(PartnerMember)
class PartnerMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "partner"]
    list_filter = ["partner"]
    raw_id_fields = ["user"]


@admin.register(OrganiserOverride)
class OrganiserOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["year", "partner", "reason"]


@admin.register(ConventionDocument)
class ConventionDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "signed_on"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "audience", "meeting"]
    list_filter = ["partner", "audience"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    raw_id_fields = ["done_by"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "committee", "organiser", "place"]
    list_filter = ["committee", "organiser"]
    inlines = [AttendeeInline, DecisionInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "owner", "due_on", "done_on"]
    list_filter = ["owner"]
    raw_id_fields = ["meeting", "done_by"]
