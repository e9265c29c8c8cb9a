"""What a page says of the records it may not show: counted by category, agency and reason, never one box each."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from familybridge.consent.policy import Withheld


@dataclass(frozen=True)
class WithheldGroup:
    """Records of one category from one agency that the viewer may not see, counted, with the reason."""

    category_label: str
    owner_agency: str
    reason: str
    count: int


def withheld_markers(*shown: Iterable[Any]) -> list[Withheld]:
    """The Withheld markers among lists of records the policy point returned."""
    return [item for records in shown for item in records or [] if isinstance(item, Withheld)]


def group_withheld(markers: list[Withheld]) -> list[WithheldGroup]:
    """Withheld markers counted by category, agency and reason: what a list says of records it may not show,
    without their dates or order."""
    counts: dict[tuple[str, str, str], int] = {}
    for item in markers:
        key = (item.category_label, item.owner_agency, item.reason)
        counts[key] = counts.get(key, 0) + 1
    return [WithheldGroup(*key, count) for key, count in sorted(counts.items())]
