from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "familybridge.cases"
    verbose_name = "Child welfare, treatment and court records"
