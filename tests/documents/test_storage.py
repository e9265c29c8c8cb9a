"""Where documents are stored: the local filesystem by default, any S3-compatible store by setting (no network here)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage, storages
from storages.backends.s3 import S3Storage

from familybridge.documents.models import Document
from familybridge.settings import document_storage


def test_the_default_is_the_filesystem_under_media_root(media_root):
    assert document_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert isinstance(default_storage, FileSystemStorage)
    assert default_storage.location == str(media_root)


def test_the_environment_selects_an_s3_compatible_store(settings):
    config = document_storage(
        {
            "DOCUMENT_STORAGE": "s3",
            "DOCUMENT_S3_BUCKET": "county-documents",
            "DOCUMENT_S3_ENDPOINT_URL": "https://minio.county.example:9000",
            "DOCUMENT_S3_REGION": "us-east-2",
        }
    )
    settings.STORAGES = {**settings.STORAGES, "default": config}
    storage = storages["default"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == (
        "county-documents",
        "https://minio.county.example:9000",
        "us-east-2",
    )
    assert storage.file_overwrite is False and storage.querystring_auth is True
    # The documents' file field stores through that same backend.
    assert isinstance(Document._meta.get_field("file").storage, S3Storage)


def test_s3_without_a_bucket_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="DOCUMENT_S3_BUCKET"):
        document_storage({"DOCUMENT_STORAGE": "s3"})
