from django.db import models


class AuditEvent(models.Model):
    """One event of the append-only, hash-chained audit log.

    The database refuses UPDATE, DELETE and TRUNCATE on this table (triggers, migration
    0004); the chain (each event's seal, keyed by FAMILYBRIDGE_AUDIT_KEY, covers the previous one)
    reveals changes made by someone who lifted them.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    agency_slug = models.CharField(max_length=50, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=40, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Which key sealed the event (chain.key_id); events sealed before the chain was keyed have none.
    key_id = models.CharField(max_length=16, blank=True, default="")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_id", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id} by {self.actor_username}"


class AuditChainHead(models.Model):
    """The last link of the chain, locked while an event is appended so the chain never forks.

    It also lets verification notice when the newest events were removed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain head at #{self.last_sequence}"
