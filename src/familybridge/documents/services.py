"""Storing documents: an upload is checked (its type by its content, its size, that it is not empty), then the file and
its record are saved together or not at all.

A document belongs to the uploader's agency, is about one member of the family, and is filed in a category the
uploader's agency writes (never a Part 2 category for staff outside a Part 2 program). Who else reads it is the policy
point's decision, like any record. A document attached to a record is derived from it (`derive_provenance`): a file
attached to a Part 2 program's record is Part 2 wherever it is shown, and anything a Part 2 program uploads is Part 2
because the program holds it.

The document is registered as a record kind (cases.services), so an upload entered in error is voided, and its title,
kind and category corrected, with its history (cases.corrections).
"""

import codecs
import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from familybridge.agencies.models import AgencyKind, User
from familybridge.agencies.roles import Role
from familybridge.cases.selectors import recordable_members
from familybridge.cases.services import RecordKind, ensure_family_visible, ensure_may_write, register_kind
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.documents.models import Document, DocumentKind
from familybridge.people.models import Family, Person, ProtectedRecord, derive_provenance, record_label

# Who uploads: the staff who work families (as for notes), and judges, whose orders are the court's record.
UPLOADER_ROLES = frozenset(
    {
        Role.CASEWORKER,
        Role.CW_SUPERVISOR,
        Role.COUNSELOR,
        Role.CLINICAL_SUPERVISOR,
        Role.PEER_RECOVERY_SPECIALIST,
        Role.JUDGE,
        Role.COURT_COORDINATOR,
    }
)

# The categories each kind of agency files documents under, its usual one first. Child welfare keeps its copy of a
# court order as a court order. A treatment agency uploads only if it is a Part 2 program: its documents are Part 2.
CATEGORIES_BY_AGENCY_KIND: dict[str, tuple[Category, ...]] = {
    AgencyKind.CHILD_WELFARE: (
        Category.CW_CASE,
        Category.CW_CASE_PLAN,
        Category.CW_PLACEMENT,
        Category.CW_ALLEGATION,
        Category.COURT_ORDER,
    ),
    AgencyKind.SUD_TREATMENT: (
        Category.SUD_PROGRESS,
        Category.SUD_ENROLLMENT,
        Category.SUD_TOXICOLOGY,
        Category.SUD_ASSESSMENT,
        Category.SUD_TREATMENT_PLAN,
        Category.SUD_DISCHARGE,
    ),
    AgencyKind.COURT: (Category.COURT_CASE, Category.COURT_ORDER),
}

# The category a kind of document is usually filed under, where the uploader's agency writes it.
USUAL_CATEGORIES: dict[str, tuple[Category, ...]] = {
    DocumentKind.CONSENT_FORM: (Category.SUD_ENROLLMENT,),
    DocumentKind.COURT_ORDER: (Category.COURT_ORDER,),
    DocumentKind.LAB_REPORT: (Category.SUD_TOXICOLOGY,),
    DocumentKind.CASE_PLAN: (Category.CW_CASE_PLAN, Category.SUD_TREATMENT_PLAN),
}


def categories_for(user: User) -> list[str]:
    """The categories the user's agency files documents under; none for an agency that uploads none."""
    agency = user.agency
    if agency is None or (agency.kind == AgencyKind.SUD_TREATMENT and not agency.is_part2_program):
        return []
    return [str(category) for category in CATEGORIES_BY_AGENCY_KIND.get(agency.kind, ())]


def category_choices(user: User) -> list[tuple[str, str]]:
    return [(category, Category(category).label) for category in categories_for(user)]


def default_category(user: User, kind: str = "") -> str:
    """The uploader's agency's own kind of information: the kind's usual category where the agency writes it, else
    the agency's usual one ("" for an agency that uploads none)."""
    categories = categories_for(user)
    for category in USUAL_CATEGORIES.get(kind, ()):
        if category in categories:
            return str(category)
    return categories[0] if categories else ""


# Checking an upload


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
PLAIN_TEXT = FileType("text/plain", "txt")
ALLOWED_TYPES = {PDF.content_type: PDF, PNG.content_type: PNG, JPEG.content_type: JPEG}
ALLOWED_LABELS = "PDF, PNG, JPEG or plain text"

# Plain text may hold tabs, line breaks and form feeds; any other control character makes it something else.
TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")
CONTROL_CHARACTERS = frozenset(chr(code) for code in [*range(0x20), 0x7F]) - TEXT_CONTROLS_ALLOWED


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_BYTES


def size_label(size: int) -> str:
    """A size as people read it: "10 MB", "10.4 MB", "300 KB"."""
    megabytes, unit = (size / (1024 * 1024), "MB") if size >= 1024 * 1024 else (size / 1024, "KB")
    return f"{megabytes:.1f}".removesuffix(".0") + f" {unit}"


def _is_plain_text(uploaded_file: UploadedFile) -> bool:
    """UTF-8 (or ASCII) text, read in full: every byte decodes and no control character but tab, line breaks and form
    feed appears. A file with a NUL byte or an invalid sequence is not text, whatever its name says."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        for chunk in uploaded_file.chunks():
            if CONTROL_CHARACTERS.intersection(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    size: int
    sha256: str


def check_upload(uploaded_file: UploadedFile | None) -> CheckedFile:
    """The file's type, detected from its content (never its name or the browser's word for it), its size and hash;
    a ValidationError on `uploaded_file` for an empty, oversized or not allowed file."""
    if uploaded_file is None:
        raise ValidationError({"uploaded_file": "Choose a file to upload."})
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"uploaded_file": "The file is empty: choose the file again, or another one."})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            {"uploaded_file": f"The file is {size_label(size)}; a document may be at most {size_label(limit)}."}
        )
    uploaded_file.seek(0)
    guessed = filetype.guess(uploaded_file.read(8192))
    uploaded_file.seek(0)
    if guessed is not None:
        file_type = ALLOWED_TYPES.get(guessed.mime)
    else:
        file_type = PLAIN_TEXT if _is_plain_text(uploaded_file) else None
    if file_type is None:
        if guessed is not None:
            name = guessed.extension.upper()
            what = f"{'an' if name[0] in 'AEIOU' else 'a'} {name} file"
        else:
            what = "not a file type we accept"
        raise ValidationError(
            {"uploaded_file": f"This file is {what}. Upload a {ALLOWED_LABELS} file (scan paper documents to PDF)."}
        )
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return CheckedFile(file_type, size, digest.hexdigest())


def download_name(original: str, file_type: FileType) -> str:
    """The name the download offers: the uploader's file name, made safe, with the extension of the type detected."""
    stem = (original or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    try:
        stem = get_valid_filename(stem)[:100]
    except SuspiciousFileOperation:  # a name like "..": the document gets a plain name instead
        stem = ""
    return f"{stem or 'document'}.{file_type.extension}"


DOCUMENTS_DIR = "documents"


def storage_name(family: Family, file_type: FileType) -> str:
    """Where the file is stored: a random name under the family, so no name tells whom or what it is about."""
    return f"{DOCUMENTS_DIR}/{family.pk}/{uuid.uuid4().hex}.{file_type.extension}"


# Writing


@dataclass(frozen=True)
class DocumentRecordKind(RecordKind):
    """Uploaded by the staff of an agency that files documents (`categories_for`)."""

    def writable_by(self, user: User) -> bool:
        return super().writable_by(user) and bool(categories_for(user))


def _purpose(user: User) -> str:
    return user.default_purpose or ""


def _ensure_member(user: User, family: Family, subject: Person | None) -> None:
    if subject is None or not recordable_members(user, family, _purpose(user)).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": f"Choose a member of the {family.name} you work with."})


def _ensure_attachable(user: User, family: Family, subject: Person, record: ProtectedRecord) -> None:
    """A record the user may see, about the document's subject (a member of this family the user works with)."""
    shown = policy.permitted(user, type(record).objects.filter(pk=record.pk), _purpose(user))
    if not shown.exists():
        raise PermissionDenied("That record is not open to you: a document can be attached only to a record you see.")
    if record.subject_id != subject.pk:
        raise ValidationError({"subject": f"A document attached to a record is about the record's subject: {subject}."})


def _document_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    """The rules an upload is written under, which a correction runs too."""
    kind = values.get("kind") or ""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose the kind of document."})
    title = (values.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": "Give the document a title, such as “Order of adjudication, May 4”."})
    category = values.get("category") or default_category(user, kind)
    if category not in categories_for(user):
        choices = ", ".join(label for _, label in category_choices(user))
        raise ValidationError({"category": f"Choose a category your agency files documents under: {choices}."})
    return {"kind": kind, "title": title, "category": category}


def _save(document: Document, uploaded_file: UploadedFile, name: str) -> None:
    """The file, then its row, in one savepoint; a file whose row is not saved is deleted again."""
    storage = document.file.storage
    stored = ""
    try:
        with transaction.atomic():
            stored = storage.save(name, uploaded_file, max_length=Document._meta.get_field("file").max_length)
            document.file.name = stored
            document.save()
    except BaseException:
        if stored:
            storage.delete(stored)
        raise


def remove_orphan_files(older_than: timedelta, *, dry_run: bool = False) -> list[str]:
    """Delete the stored files that no document names, last changed longer ago than `older_than`: what is left when a
    transaction that stored a document (a message with its attachments) rolls back after the file was written.
    Files younger than that may belong to a transaction still under way, and are kept. Returns the names found."""
    storage = Document._meta.get_field("file").storage
    # A check of names, shown to no one: voided documents keep their files, like their rows.
    kept = set(Document.unrestricted_with_voided.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    try:
        folders, _ = storage.listdir(DOCUMENTS_DIR)
    except FileNotFoundError:
        return []
    orphans = []
    for folder in sorted(folders):
        _, names = storage.listdir(f"{DOCUMENTS_DIR}/{folder}")
        for name in sorted(names):
            path = f"{DOCUMENTS_DIR}/{folder}/{name}"
            if path not in kept and storage.get_modified_time(path) < cutoff:
                orphans.append(path)
    if not dry_run:
        for path in orphans:
            storage.delete(path)
    return orphans


def store_document(
    user: User,
    *,
    uploaded_file: UploadedFile | None,
    family: Family,
    subject: Person | None,
    kind: str,
    title: str,
    category: str | None = None,
    attached_to: ProtectedRecord | None = None,
) -> Document:
    """Check and store an upload about a member of the family, on the family or attached to one of its records.

    `category` defaults to the uploader's agency's own kind of information for the kind of document. Usable inside
    another transaction (a message and its attachments): the file and the row are saved in a savepoint, and the file
    is deleted again if the row is not saved. Should the caller's transaction roll back after this returns, the file
    stays behind with no row: `familybridge documents sweep` (`remove_orphan_files`) deletes such files.
    """
    ensure_may_write(user, "document")
    ensure_family_visible(user, family)
    _ensure_member(user, family, subject)
    values = _document_rules(user, family, {"kind": kind, "title": title, "category": category}, None)
    provenance: dict[str, Any] = {}
    if attached_to is not None:
        _ensure_attachable(user, family, subject, attached_to)
        provenance = derive_provenance(attached_to)
    checked = check_upload(uploaded_file)
    document = Document(
        owner_agency=user.agency,
        recorded_by=user,
        family=family,
        subject=subject,
        file_name=download_name(uploaded_file.name, checked.file_type),
        content_type=checked.file_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        attached_record=record_label(attached_to) if attached_to is not None else "",
        **values,
        **provenance,
    )
    document._history_user = user
    _save(document, uploaded_file, storage_name(family, checked.file_type))
    return document


DOCUMENT_KIND = register_kind(
    DocumentRecordKind(
        "document",
        "Document",
        None,
        UPLOADER_ROLES,
        store_document,
        Document,
        ("kind", "title", "category"),
        _document_rules,
        # Uploaded from the family's documents section, not the "Add a record" menu.
        in_add_menu=False,
        field_choices=lambda user: {"category": category_choices(user)},
    )
)
