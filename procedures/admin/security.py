"""django-axes' records of failed sign-ins (attempts, logs) are for whoever runs the site: the
admin shows them to superusers only, so editors' menus hold only their own work."""

from django.apps import apps
from django.contrib import admin


def superusers_only(model_admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """Return a subclass of `model_admin_class` that only superusers see or open (a permission
    granted by mistake to an editors' group does not show these sections)."""

    class SuperusersOnly(model_admin_class):
        def has_module_permission(self, request):
            return request.user.is_active and request.user.is_superuser

        def has_view_permission(self, request, obj=None):
            return self.has_module_permission(request)

        def has_change_permission(self, request, obj=None):
            return self.has_module_permission(request) and super().has_change_permission(
                request, obj
            )

        def has_delete_permission(self, request, obj=None):
            return self.has_module_permission(request) and super().has_delete_permission(
                request, obj
            )

    SuperusersOnly.__name__ = model_admin_class.__name__
    return SuperusersOnly


# django-axes registers its admin before this app's (INSTALLED_APPS order).
for model in apps.get_app_config("axes").get_models():
    if admin.site.is_registered(model):
        model_admin = admin.site.get_model_admin(model)
        admin.site.unregister(model)
        admin.site.register(model, superusers_only(type(model_admin)))
