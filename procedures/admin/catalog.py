"""The catalogue screens: regions (with their sources), carriers (with their contact numbers)
and documents."""

from django.contrib import admin

from procedures.admin.base import OrderedTabularInline, TranslatedAdmin
from procedures.models import Carrier, ContactNumber, Document, Region, RegionSource


class RegionSourceInline(OrderedTabularInline):
    model = RegionSource
    max_num = 30
    fields = ["title", "url", "language"]


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["name", "code", "slug", "position"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [RegionSourceInline]


class ContactNumberInline(OrderedTabularInline):
    model = ContactNumber
    max_num = 20


@admin.register(Carrier)
class CarrierAdmin(TranslatedAdmin):
    list_display = ["name", "region", "is_active", "closed_on", "website"]
    list_filter = ["region", "is_active"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "slug"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ContactNumberInline]


@admin.register(Document)
class DocumentAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
