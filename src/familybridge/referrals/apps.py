from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "familybridge.referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Registers the referral and its steps as record kinds (corrected and voided like any record), and tells a
        # referrer of her client's discharge.
        from familybridge.referrals import services, signals  # noqa: F401
