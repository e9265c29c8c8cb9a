from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "familybridge.web"
    verbose_name = "Web interface"
