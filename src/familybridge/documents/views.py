"""Uploading a document to a family, a document's page, and its download: thin views over documents.services and
documents.selectors. Voiding (and correcting) an upload entered in error goes through the record views (cases.views).

Files are never served from an address of their own: the download asks the policy point for that one document, which
audits the read and accounts for a Part 2 document read across agencies, each time it is downloaded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from familybridge.audit.services import record_event
from familybridge.cases.services import ensure_may_write
from familybridge.documents import selectors, services
from familybridge.documents.forms import UploadForm
from familybridge.documents.models import Document
from familybridge.people import selectors as people_selectors
from familybridge.web.views import add_form_errors, purpose_for


def _page_of(document: Document, purpose: str) -> str:
    return f"{reverse('documents:document', args=[document.pk])}?purpose={purpose}"


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest, family_pk: int) -> HttpResponse:
    user, purpose = request.user, purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(user, purpose), pk=family_pk)
    try:
        ensure_may_write(user, "document")
    except PermissionDenied:
        record_event("denied", family, details={"page": "upload a document"})
        raise
    form = UploadForm(request.POST or None, request.FILES or None, user=user, family=family, purpose=purpose)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.store_document(user, family=family, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"“{document.title}” uploaded for {document.subject}.")
            return redirect(_page_of(document, purpose))
    return render(request, "documents/upload.html", {"family": family, "form": form, "purpose": purpose})


def _shown(request: HttpRequest, pk: int) -> tuple[Document, str]:
    """The document as the policy point shows it to the user for the purpose stated, or 404 (nothing disclosed)."""
    purpose = purpose_for(request)
    document = selectors.document_for(request.user, pk, purpose)
    if document is None:
        raise Http404("No such document, or it is not open to you.")
    return document, purpose


@require_GET
@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's record, the notice against redisclosure for a Part 2 document, and the download link."""
    document, purpose = _shown(request, pk)
    context = {
        "document": document,
        "family": document.family,
        "purpose": purpose,
        "attached_to": selectors.attached_record_of(document),
    }
    return render(request, "documents/document.html", context)


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment the browser saves and never renders here, kept by no cache."""
    document, purpose = _shown(request, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing from the document store: tell your administrator.") from missing
    record_event("download_document", document, purpose=purpose, details={"sha256": document.sha256})
    response = FileResponse(handle, as_attachment=True, filename=document.file_name, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened in a browser anyway, the file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    add_never_cache_headers(response)
    return response
