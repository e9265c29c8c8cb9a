"""A report being received, kept in the worker's session until it is received whole.

The "Receive a report" pages put a report together a piece at a time — its details, then its children and alleged
perpetrators one by one through the duplicate check, then the allegations — and nothing is written to the records
until `services.receive_report` saves it all at once. The session is server-side and ends with the sign-in.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from familybridge.intake.models import MaltreatmentType, ReporterType
from familybridge.intake.services import AllegationEntry, NewPerson, Receipt, ReportDetails, ReportPerson
from familybridge.people.models import MemberRole

SESSION_KEY = "intake_receipt"
CHILD, PERPETRATOR = "child", "perpetrator"


@dataclass
class Draft:
    details: dict[str, str] = field(default_factory=dict)
    people: list[dict[str, Any]] = field(default_factory=list)
    allegations: list[dict[str, str]] = field(default_factory=list)
    next_key: int = 1

    @classmethod
    def of(cls, session: Any) -> "Draft":
        stored = session.get(SESSION_KEY)
        return cls(**stored) if stored else cls()

    def save(self, session: Any) -> None:
        session[SESSION_KEY] = asdict(self)

    @staticmethod
    def discard(session: Any) -> None:
        session.pop(SESSION_KEY, None)

    # The report's details, as the details form cleaned them.

    def keep_details(self, cleaned: dict[str, Any]) -> None:
        self.details = {name: _stored(value) for name, value in cleaned.items()}

    @property
    def has_details(self) -> bool:
        return bool(self.details)

    def details_initial(self) -> dict[str, str]:
        return dict(self.details)

    @property
    def received_at(self) -> datetime | None:
        received_at = self.details.get("received_at")
        return datetime.fromisoformat(received_at) if received_at else None

    @property
    def reporter_type_label(self) -> str:
        reporter_type = self.details.get("reporter_type", "")
        return ReporterType(reporter_type).label if reporter_type in ReporterType.values else ""

    # The people named, in the order added.

    def named_as(self, kind: str) -> list[dict[str, Any]]:
        return [person for person in self.people if person["as"] == kind]

    @property
    def children(self) -> list[dict[str, Any]]:
        return self.named_as(CHILD)

    @property
    def perpetrators(self) -> list[dict[str, Any]]:
        return self.named_as(PERPETRATOR)

    def names(self, person_id: int) -> bool:
        return any(person.get("person_id") == person_id for person in self.people)

    def add_person(
        self, kind: str, *, name: str, role: str, person_id: int | None = None, new: dict[str, Any] | None = None
    ) -> str:
        key = f"p{self.next_key}"
        self.next_key += 1
        self.people.append(
            {
                "key": key,
                "as": kind,
                "name": name,
                "role": MemberRole.CHILD if kind == CHILD else role,
                "person_id": person_id,
                "new": {name: _stored(value) for name, value in (new or {}).items()} or None,
            }
        )
        return key

    def remove_person(self, key: str) -> None:
        """Take a person off the report, and the allegations naming them."""
        self.people = [person for person in self.people if person["key"] != key]
        self.allegations = [a for a in self.allegations if key not in (a["child"], a["perpetrator"])]

    # The allegations.

    def add_allegation(self, child: str, maltreatment_type: str, perpetrator: str) -> None:
        self.allegations.append({"child": child, "maltreatment_type": maltreatment_type, "perpetrator": perpetrator})

    def remove_allegation(self, index: int) -> None:
        if 0 <= index < len(self.allegations):
            del self.allegations[index]

    def name_of(self, key: str) -> str:
        return next((person["name"] for person in self.people if person["key"] == key), "")

    def allegation_rows(self) -> list[dict[str, str]]:
        return [
            {
                **allegation,
                "child_name": self.name_of(allegation["child"]),
                "type_label": MaltreatmentType(allegation["maltreatment_type"]).label,
                "perpetrator_name": self.name_of(allegation["perpetrator"]) if allegation["perpetrator"] else "",
            }
            for allegation in self.allegations
        ]

    def linked_child_ids(self) -> list[int]:
        return [child["person_id"] for child in self.children if child["person_id"] is not None]

    def receipt(self, *, family_id: int | None, family_name: str) -> Receipt:
        """What the services receive: the draft as typed values."""
        details = self.details
        return Receipt(
            details=ReportDetails(
                received_at=self.received_at,
                reporter_type=details.get("reporter_type", ""),
                narrative=details.get("narrative", ""),
                reporter_name=details.get("reporter_name", ""),
                reporter_contact=details.get("reporter_contact", ""),
                address=details.get("address", ""),
                zip_code=details.get("zip_code", ""),
            ),
            children=[_report_person(person) for person in self.children],
            perpetrators=[_report_person(person) for person in self.perpetrators],
            allegations=[AllegationEntry(**allegation) for allegation in self.allegations],
            family_id=family_id,
            family_name=family_name,
        )


def _stored(value: Any) -> Any:
    """A value as the session keeps it (JSON): days, times and moments as ISO text."""
    return value.isoformat() if isinstance(value, date | datetime | time) else value


def _report_person(person: dict[str, Any]) -> ReportPerson:
    new = person.get("new")
    return ReportPerson(
        key=person["key"],
        name=person["name"],
        role=person["role"],
        person_id=person.get("person_id"),
        new=NewPerson(
            first_name=new["first_name"],
            last_name=new["last_name"],
            birth_date=date.fromisoformat(new["birth_date"]) if new.get("birth_date") else None,
            sex=new.get("sex", ""),
            agency_identifier=new.get("agency_identifier", ""),
        )
        if new
        else None,
    )
