from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "familybridge.agencies"
    verbose_name = "Agencies and staff"
