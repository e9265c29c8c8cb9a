from django.conf import settings
from django.db import models

from familybridge.outcomes.indicators import INDICATORS


class OutcomeTarget(models.Model):
    """What the partnership commits to reach on one indicator (for J2: the group whose parent completed treatment)."""

    partnership = models.ForeignKey("agencies.Partnership", on_delete=models.CASCADE, related_name="outcome_targets")
    indicator = models.CharField(max_length=4, choices=[(i.code, f"{i.code} {i.name}") for i in INDICATORS])
    target = models.DecimalField(max_digits=10, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "indicator"]
        constraints = [models.UniqueConstraint(fields=["partnership", "indicator"], name="one_target_per_indicator")]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.indicator} target {self.target}"
