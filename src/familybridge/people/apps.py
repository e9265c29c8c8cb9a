from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "familybridge.people"
    verbose_name = "People and families"
