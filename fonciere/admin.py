from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fonciere.models import Capitalisation, CommitteeProposal, CommitteeSitting, Lease, PremisesRequest, Property


@admin.register(Property)
class PropertyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "commune", "use", "tenure", "surface"]
    list_filter = ["use", "tenure", "commune"]
    search_fields = ["name", "address"]


@admin.register(Lease)
class LeaseAdmin(SimpleHistoryAdmin):
    list_display = ["property", "occupant", "surface", "starts_on", "ends_on", "rent", "market_rent", "signed_on"]
    list_filter = ["property"]
    raw_id_fields = ["occupant", "property"]


@admin.register(Capitalisation)
class CapitalisationAdmin(SimpleHistoryAdmin):
    list_display = ["paid_on", "amount", "deliberation_number", "commitment"]
    raw_id_fields = ["commitment"]


@admin.register(PremisesRequest)
class PremisesRequestAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "surface_needed", "use", "commune", "status", "created_at"]
    list_filter = ["status", "use"]
    raw_id_fields = ["actor", "application", "matched_property", "submitted_by"]


class CommitteeProposalInline(admin.TabularInline):
    model = CommitteeProposal
    raw_id_fields = ["request", "property", "decided_by"]
    extra = 0


@admin.register(CommitteeProposal)
class CommitteeProposalAdmin(SimpleHistoryAdmin):
    list_display = ["sitting", "request", "decision", "property"]
    list_filter = ["decision"]
    raw_id_fields = ["sitting", "request", "property", "decided_by"]


@admin.register(CommitteeSitting)
class CommitteeSittingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "place"]
    inlines = [CommitteeProposalInline]
