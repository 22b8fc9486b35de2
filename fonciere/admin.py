from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fonciere.models import Capitalisation, Lease, Property


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
