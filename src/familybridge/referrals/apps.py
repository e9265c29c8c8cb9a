from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "familybridge.referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Registers the referral and its steps as record kinds (corrected and voided like any record).
        from familybridge.referrals import services  # noqa: F401
