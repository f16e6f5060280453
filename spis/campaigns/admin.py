"""Staff editing of campaigns and precedents, with per-object history (django-simple-history).

Deletion is switched off as in the registry admin: a campaign's record is evidence of what was asked and when.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from spis.registry.admin_base import NoDeleteMixin

from .models import Campaign, CampaignEvent, Demand, Measure, Precedent, Supporter


class DemandInline(NoDeleteMixin, admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["text", "scope_kind", "scope_date", "deadline", "without_exception", "position"]


class MeasureInline(NoDeleteMixin, admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["kind", "actor", "status", "start_date", "end_date", "corridor_scenario", "description"]
    show_change_link = True


class SupporterInline(NoDeleteMixin, admin.TabularInline):
    model = Supporter
    extra = 0
    fields = ["organization", "name", "kind", "stance", "date", "source"]
    autocomplete_fields = ["organization", "source"]


class CampaignEventInline(NoDeleteMixin, admin.TabularInline):
    model = CampaignEvent
    extra = 0
    fields = ["date", "title", "description"]
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["slug", "title", "start_date", "end_date", "is_public", "is_synthetic"]
    list_filter = ["is_public", "is_synthetic"]
    search_fields = ["slug", "title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    inlines = [DemandInline, MeasureInline, SupporterInline, CampaignEventInline]


@admin.register(Demand)
class DemandAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "scope_kind", "scope_date", "deadline", "without_exception"]
    list_filter = ["scope_kind", "without_exception"]


@admin.register(Measure)
class MeasureAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "status", "start_date", "corridor_scenario"]
    list_filter = ["kind", "status"]
    filter_horizontal = ["sources", "actors"]


@admin.register(Supporter)
class SupporterAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "kind", "stance", "date"]
    list_filter = ["kind", "stance"]


@admin.register(CampaignEvent)
class CampaignEventAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "title", "campaign"]
    filter_horizontal = ["sources"]


@admin.register(Precedent)
class PrecedentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "country", "date_text", "number_text", "kind", "pressure_category", "confidence"]
    list_filter = ["confidence", "country"]
    search_fields = ["code", "country", "event", "kind", "pressure_category"]
    filter_horizontal = ["campaigns"]


from . import corridors_admin  # noqa: E402, F401  (registers CorridorModel)
