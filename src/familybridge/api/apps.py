from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "familybridge.api"
    verbose_name = "REST API"
