from django.contrib import admin

from filieres.models import Filiere, HeadOfNetwork, Segment


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0
    fields = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class HeadOfNetworkInline(admin.TabularInline):
    model = HeadOfNetwork
    extra = 0
    autocomplete_fields = ["actor"]
    fields = ["actor", "since_on", "role_description"]


@admin.register(Filiere)
class FiliereAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SegmentInline, HeadOfNetworkInline]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "filiere", "position"]
    list_filter = ["filiere"]
    search_fields = ["name", "filiere__name"]
    list_select_related = ["filiere"]
    autocomplete_fields = ["filiere"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(HeadOfNetwork)
class HeadOfNetworkAdmin(admin.ModelAdmin):
    list_display = ["actor", "filiere", "since_on"]
    list_filter = ["filiere"]
    search_fields = ["actor__name", "filiere__name"]
    list_select_related = ["actor", "filiere"]
    autocomplete_fields = ["actor", "filiere"]
