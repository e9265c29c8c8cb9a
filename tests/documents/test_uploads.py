"""An upload is checked before anything is stored: its type by its content (PDF, PNG, JPEG or plain text, whatever its
name says), its size against the setting, that it is not empty; and a failed save leaves no file behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from familybridge.agencies.roles import Role
from familybridge.documents.models import Document

from .conftest import PDF_BYTES, stored_files, upload

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
ZIP_BYTES = b"PK\x03\x04" + b"\x00" * 64


def refusal(error: ValidationError) -> str:
    return " ".join(error.message_dict["uploaded_file"])


@pytest.mark.parametrize(
    ("name", "content", "content_type", "download_name"),
    [
        ("order.pdf", PDF_BYTES, "application/pdf", "order.pdf"),
        ("scan.png", PNG_BYTES, "image/png", "scan.png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg", "photo.jpg"),
        ("visit notes.txt", "Visit on May 4 — all well.\n".encode(), "text/plain", "visit_notes.txt"),
        # Named as something else, it is what its content is.
        ("order.docx", PDF_BYTES, "application/pdf", "order.pdf"),
    ],
)
def test_allowed_types_are_stored_by_their_content(
    worker, family, store, media_root, name, content, content_type, download_name
):
    document = store(worker, family, uploaded_file=upload(name, content, "application/octet-stream"))
    assert (document.content_type, document.file_name, document.size) == (content_type, download_name, len(content))
    assert [path.read_bytes() for path in stored_files(media_root)] == [content]
    # The stored name says nothing of the person or the uploader's file name.
    assert name.split(".")[0] not in document.file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("archive.pdf", ZIP_BYTES, "This file is a ZIP file. Upload a PDF, PNG, JPEG or plain text file"),
        ("page.txt", b"<html>\x00\x01</html>", "This file is not a file type we accept."),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "This file is not a file type we accept."),
    ],
)
def test_other_types_are_refused_whatever_their_name(worker, family, store, media_root, name, content, message):
    with pytest.raises(ValidationError) as refused:
        store(worker, family, uploaded_file=upload(name, content))
    assert message in refusal(refused.value)
    assert stored_files(media_root) == [] and not Document.unrestricted.exists()


def test_an_empty_file_is_refused(worker, family, store, media_root):
    with pytest.raises(ValidationError) as refused:
        store(worker, family, uploaded_file=upload("order.pdf", b""))
    assert refusal(refused.value) == "The file is empty: choose the file again, or another one."
    assert stored_files(media_root) == []


def test_a_file_over_the_size_setting_is_refused(settings, worker, family, store, media_root):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        store(worker, family, uploaded_file=upload("big.pdf", PDF_BYTES + b" " * (2 * 1024 * 1024)))
    assert refusal(refused.value) == "The file is 2 MB; a document may be at most 1 MB."
    assert stored_files(media_root) == []


def test_a_failed_save_leaves_no_file_behind(worker, family, store, media_root, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(RuntimeError):
        store(worker, family)
    assert stored_files(media_root) == []


def test_a_non_program_uploader_cannot_choose_a_part2_category(worker, family, store):
    with pytest.raises(ValidationError) as refused:
        store(worker, family, category="sud.toxicology")
    assert "Choose a category your agency files documents under" in refused.value.message_dict["category"][0]


def test_the_category_defaults_to_the_uploaders_own_kind_of_information(
    worker, counselor, coordinator, court_knows_the_family, family, store
):
    assert store(worker, family, kind="case_plan").category == "cw.case_plan"
    assert store(worker, family, kind="consent_form").category == "cw.case"
    assert store(coordinator, family, kind="court_order").category == "court.order"
    assert store(counselor, family, subject=family.people["mom"], kind="consent_form").category == "sud.enrollment"


def test_only_staff_who_work_families_upload(agencies, family, make_user, store):
    admin = make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        store(admin, family)


def test_a_document_is_about_a_member_the_uploader_works_with(agencies, worker, family, store):
    from familybridge.people.models import Person

    stranger = Person.objects.create(first_name="Noor", last_name="Haddad")
    with pytest.raises(ValidationError) as refused:
        store(worker, family, subject=stranger)
    assert refused.value.message_dict["subject"] == ["Choose a member of the Rivera family you work with."]


def test_a_file_left_by_a_rolled_back_transaction_is_swept_and_documents_files_are_kept(
    worker, family, store, media_root
):
    """A caller's transaction (a message with its attachments) that rolls back after the document was stored leaves
    its file without a row: the sweep deletes it, once it is older than the grace period, and keeps every other."""
    import os
    import time

    from django.core.management import call_command
    from django.db import transaction

    kept = store(worker, family, title="Kept")

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        store(worker, family, title="Rolled back")
        raise Abandoned
    assert len(stored_files(media_root)) == 2 and Document.unrestricted.count() == 1
    call_command("documents", "sweep", older_than_hours=1)
    assert len(stored_files(media_root)) == 2, "a young file may belong to an upload under way"
    a_day_ago = time.time() - 24 * 3600
    for path in stored_files(media_root):
        os.utime(path, (a_day_ago, a_day_ago))
    call_command("documents", "sweep", older_than_hours=1)
    assert [path.name for path in stored_files(media_root)] == [kept.file.name.rsplit("/", 1)[-1]]
