from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "familybridge.referrals"
    verbose_name = "Referrals"
