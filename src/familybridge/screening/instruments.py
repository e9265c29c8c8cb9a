"""Screening instruments as data: FHIR R4 Questionnaires carrying a declarative scoring block.

Each built-in instrument is one JSON file in `questionnaires/`. Points per answer option are FHIR's
`ordinalValue` extension (so reverse keying and 0/2/4 items are data); the rest of the scoring —
total, bands, cut-offs, what makes a screen positive, flags, variants and points for numeric items —
is the JSON scoring block in the Questionnaire's `SCORING_URL` extension. Skip logic is FHIR's
`enableWhen`. No instrument has code of its own: `scoring.score` reads this data.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError as PydanticValidationError

SCORING_URL = "https://familybridge.dev/fhir/StructureDefinition/scoring"
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRES_DIR = Path(__file__).parent / "questionnaires"

# Brief oral screens are asked one item at a time; self-report forms are shown as one page.
ADMINISTRATION_MODES = ("oral", "self-report")
FLAG_CODES = ("safety", "car", "escalate")
CUTOFF_KEYS = ("default", "female", "male", "older_adult")
CUTOFF_KEY_LABELS = {"default": "Default", "female": "Women", "male": "Men", "older_adult": "Older adults"}
ENABLE_WHEN_OPERATORS = ("exists", "=", "!=", ">", "<", ">=", "<=")
ANSWERED_TYPES = ("choice", "integer")


class InstrumentError(ValueError):
    """An instrument's Questionnaire or scoring block is not usable; the message says why."""


@dataclass(frozen=True)
class Option:
    code: str
    system: str
    display: str
    points: int | None


@dataclass(frozen=True)
class EnableWhen:
    question: str
    operator: str
    answer: Any  # an int, or a (system, code) pair for a coded answer, or a bool for "exists"


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    type: str  # "choice" or "integer"
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    enable_when: tuple[EnableWhen, ...] = ()
    enable_behavior: str = "all"

    @property
    def is_yes_no(self) -> bool:
        return self.type == "choice" and [o.code for o in self.options] == ["N", "Y"]


@dataclass(frozen=True)
class Cutoff:
    name: str
    display: str
    values: dict[str, int]  # by CUTOFF_KEYS; "default" always present
    configurable: bool
    note: str = ""


@dataclass(frozen=True)
class Band:
    code: str
    display: str
    lower: int | str  # a number, or the name of a cut-off whose value is the band's lower bound


@dataclass(frozen=True)
class Flag:
    code: str
    display: str
    items: tuple[str, ...]
    points_at_least: int


@dataclass(frozen=True)
class Instrument:
    """One instrument version: its items in canonical order and its scoring rules."""

    id: str
    title: str
    version: str
    url: str
    administration: str
    items: tuple[Item, ...]
    has_total: bool
    total_loinc: str
    max_total: int | None
    cutoffs: dict[str, Cutoff]
    bands: tuple[Band, ...]
    positive_rule: dict[str, Any]
    flags: tuple[Flag, ...]
    item_rules: dict[str, dict[str, Any]]
    variants: dict[str, dict[str, Any]]
    default_variant: str | None
    item_text_included: bool
    publisher: str
    copyright: str
    citation: str
    description: str
    codes: tuple[tuple[str, str], ...]
    resource: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def item_ids(self) -> list[str]:
        return [item.link_id for item in self.items]

    def item(self, link_id: str) -> Item:
        return next(item for item in self.items if item.link_id == link_id)

    @property
    def one_item_at_a_time(self) -> bool:
        return self.administration == "oral"

    @property
    def skip_sources(self) -> frozenset[str]:
        """Items whose answers decide whether later items are asked (enableWhen)."""
        return frozenset(condition.question for item in self.items for condition in item.enable_when)

    @property
    def configurable_cutoffs(self) -> list[Cutoff]:
        return [cutoff for cutoff in self.cutoffs.values() if cutoff.configurable]

    def item_text(self, item: Item, variant: str | None) -> str:
        if variant and variant in self.variants:
            return self.variants[variant].get("item_text", {}).get(item.link_id, item.text)
        return item.text

    def to_json(self) -> str:
        return json.dumps(self.resource, indent=2, ensure_ascii=False) + "\n"


def parse(resource: dict[str, Any]) -> Instrument:
    """A Questionnaire (as parsed JSON) turned into an Instrument, or InstrumentError saying what is wrong."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise InstrumentError("This is not a FHIR Questionnaire (resourceType must be 'Questionnaire').")
    try:
        Questionnaire.model_validate(resource)
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InstrumentError(f"Not a valid FHIR R4 Questionnaire: {where}: {first['msg']}") from None
    for required in ("id", "version", "title", "item"):
        if not resource.get(required):
            raise InstrumentError(f"The Questionnaire needs '{required}'.")
    block = _scoring_block(resource)
    items = tuple(_parse_item(raw) for raw in _leaf_items(resource["item"]))
    link_ids = [item.link_id for item in items]
    if len(set(link_ids)) != len(link_ids):
        raise InstrumentError("Item linkIds must be unique.")
    for item in items:
        for condition in item.enable_when:
            if condition.question not in link_ids[: link_ids.index(item.link_id)]:
                raise InstrumentError(
                    f"Item {item.link_id}: enableWhen refers to '{condition.question}', which is not an earlier item."
                )
    return _build(resource, block, items)


def _scoring_block(resource: dict[str, Any]) -> dict[str, Any]:
    for extension in resource.get("extension", []):
        if extension.get("url") == SCORING_URL:
            try:
                block = json.loads(extension.get("valueString", ""))
            except json.JSONDecodeError as error:
                raise InstrumentError(f"The scoring block is not valid JSON: {error}") from None
            if not isinstance(block, dict):
                raise InstrumentError("The scoring block must be a JSON object.")
            return block
    raise InstrumentError(f"The Questionnaire has no scoring block (an extension with url {SCORING_URL}).")


def _leaf_items(raw_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answerable items in document order (groups are walked, display items skipped)."""
    leaves = []
    for raw in raw_items:
        if raw.get("type") == "group":
            leaves.extend(_leaf_items(raw.get("item", [])))
        elif raw.get("type") != "display":
            leaves.append(raw)
    return leaves


def _extension_value(raw: dict[str, Any], url: str, key: str) -> Any:
    for extension in raw.get("extension", []):
        if extension.get("url") == url:
            return extension.get(key)
    return None


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InstrumentError(f"{what} must be a whole number, not {value!r}.")
    return int(value)


def _parse_item(raw: dict[str, Any]) -> Item:
    link_id = raw["linkId"]
    if raw.get("type") not in ANSWERED_TYPES:
        raise InstrumentError(
            f"Item {link_id}: type must be one of {', '.join(ANSWERED_TYPES)}, not {raw.get('type')}."
        )
    options = []
    for raw_option in raw.get("answerOption", []):
        coding = raw_option.get("valueCoding")
        if not coding or "code" not in coding:
            raise InstrumentError(f"Item {link_id}: every answerOption needs a valueCoding with a code.")
        points = _extension_value(raw_option, ORDINAL_URL, "valueDecimal")
        options.append(
            Option(
                code=coding["code"],
                system=coding.get("system", ""),
                display=coding.get("display", coding["code"]),
                points=None if points is None else _whole(points, f"Item {link_id}: option points"),
            )
        )
    if raw["type"] == "choice" and len(options) < 2:
        raise InstrumentError(f"Item {link_id}: a choice item needs at least two answer options.")
    conditions = []
    for raw_condition in raw.get("enableWhen", []):
        operator = raw_condition.get("operator")
        if operator not in ENABLE_WHEN_OPERATORS:
            raise InstrumentError(f"Item {link_id}: enableWhen operator {operator!r} is not supported.")
        if "answerCoding" in raw_condition:
            answer: Any = (raw_condition["answerCoding"].get("system", ""), raw_condition["answerCoding"]["code"])
        elif "answerInteger" in raw_condition:
            answer = raw_condition["answerInteger"]
        elif "answerBoolean" in raw_condition and operator == "exists":
            answer = raw_condition["answerBoolean"]
        else:
            raise InstrumentError(f"Item {link_id}: enableWhen must compare with answerCoding or answerInteger.")
        conditions.append(EnableWhen(raw_condition["question"], operator, answer))
    return Item(
        link_id=link_id,
        text=raw.get("text", f"Item {link_id}"),
        type=raw["type"],
        options=tuple(options),
        minimum=_extension_value(raw, MIN_VALUE_URL, "valueInteger"),
        maximum=_extension_value(raw, MAX_VALUE_URL, "valueInteger"),
        enable_when=tuple(conditions),
        enable_behavior=raw.get("enableBehavior", "all"),
    )


def _build(resource: dict[str, Any], block: dict[str, Any], items: tuple[Item, ...]) -> Instrument:
    link_ids = {item.link_id for item in items}
    administration = block.get("administration")
    if administration not in ADMINISTRATION_MODES:
        raise InstrumentError(f"administration must be one of {', '.join(ADMINISTRATION_MODES)}.")
    cutoffs = {}
    for name, raw in (block.get("cutoffs") or {}).items():
        values = {key: _whole(raw[key], f"Cut-off {name} ({key})") for key in CUTOFF_KEYS if key in raw}
        if "default" not in values:
            raise InstrumentError(f"Cut-off {name} needs a default value.")
        cutoffs[name] = Cutoff(
            name, raw.get("display", name), values, bool(raw.get("configurable")), raw.get("note", "")
        )
    bands = tuple(Band(raw["code"], raw.get("display", raw["code"]), raw["from"]) for raw in block.get("bands", []))
    for band in bands:
        if isinstance(band.lower, str) and band.lower not in cutoffs:
            raise InstrumentError(f"Band {band.code} starts at cut-off '{band.lower}', which is not defined.")
    positive = block.get("positive") or {}
    if "total_at_least" in positive:
        if positive["total_at_least"] not in cutoffs:
            raise InstrumentError(f"positive refers to cut-off '{positive['total_at_least']}', which is not defined.")
    elif "any_item_at_least" not in positive:
        raise InstrumentError("positive must be {'total_at_least': CUTOFF} or {'any_item_at_least': POINTS}.")
    flags = []
    for raw in block.get("flags", []):
        if raw.get("code") not in FLAG_CODES:
            raise InstrumentError(f"Flag code must be one of {', '.join(FLAG_CODES)}, not {raw.get('code')!r}.")
        unknown = set(raw.get("items", [])) - link_ids
        if unknown or not raw.get("items"):
            raise InstrumentError(f"Flag {raw['code']} refers to items that do not exist: {sorted(unknown)}.")
        flags.append(
            Flag(
                raw["code"],
                raw.get("display", raw["code"]),
                tuple(raw["items"]),
                _whole(raw["points_at_least"], "Flag points"),
            )
        )
    item_rules = block.get("item_rules", {})
    for link_id in item_rules:
        if link_id not in link_ids:
            raise InstrumentError(f"item_rules refers to item '{link_id}', which does not exist.")
    variants = (block.get("variants") or {}).get("options", {})
    default_variant = (block.get("variants") or {}).get("default")
    if variants and default_variant not in variants:
        raise InstrumentError("variants.default must name one of the variants.")
    total = block.get("total")
    return Instrument(
        id=resource["id"],
        title=resource["title"],
        version=str(resource["version"]),
        url=resource.get("url", ""),
        administration=administration,
        items=items,
        has_total=total is not None,
        total_loinc=(total or {}).get("loinc", ""),
        max_total=block.get("max_total"),
        cutoffs=cutoffs,
        bands=bands,
        positive_rule=positive,
        flags=tuple(flags),
        item_rules=item_rules,
        variants=variants,
        default_variant=default_variant,
        item_text_included=block.get("item_text") == "included",
        publisher=resource.get("publisher", ""),
        copyright=resource.get("copyright", ""),
        citation=block.get("citation", ""),
        description=resource.get("description", ""),
        codes=tuple((c.get("code", ""), c.get("display", "")) for c in resource.get("code", [])),
        resource=resource,
    )


def parse_json(text: str | bytes) -> Instrument:
    try:
        resource = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InstrumentError(f"The file is not valid JSON: {error}") from None
    return parse(resource)


@cache
def built_in() -> dict[str, Instrument]:
    """The instruments shipped with familybridge, by id, in the order a menu shows them."""
    instruments = [parse_json(path.read_text()) for path in sorted(QUESTIONNAIRES_DIR.glob("*.json"))]
    return {instrument.id: instrument for instrument in instruments}


def find_built_in(name: str) -> Instrument | None:
    """A built-in instrument by its id, whatever the case ("audit-c" finds AUDIT-C)."""
    return next((i for i in built_in().values() if i.id.lower() == name.strip().lower()), None)
