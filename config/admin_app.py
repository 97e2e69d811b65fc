"""Django's admin app with Shutter's admin site as its default `admin.site`.

Apart from config/admin_site.py because INSTALLED_APPS imports this before models can load.
"""

from django.contrib.admin.apps import AdminConfig


class ShutterAdminConfig(AdminConfig):
    default_site = "config.admin_site.ShutterAdminSite"
