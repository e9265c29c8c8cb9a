"""Settings for the test suite: production's defaults (DEBUG off), over plain HTTP, with keys for tests only.

pytest loads this module (pyproject's `DJANGO_SETTINGS_MODULE`), so `make test` needs no variable set by hand.
The key goes into the environment so that the `familybridge` commands the tests start as subprocesses share it.
"""

import os
import tempfile

# Uploads the tests (and the demo they load) store go to a folder of this run's, never to the checkout's var/media.
os.environ.setdefault("FAMILYBRIDGE_MEDIA_ROOT", tempfile.mkdtemp(prefix="familybridge-test-media-"))
os.environ.setdefault("SECRET_KEY", "familybridge-test-suite-only-secret-key-not-for-any-server-0123456789")
os.environ.setdefault("FAMILYBRIDGE_AUDIT_KEY", "familybridge-test-suite-only-audit-key-not-for-any-server")

from familybridge.settings import *  # noqa: E402, F403

# The test client and the live test server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files come from the apps' folders, as in development: the tests do not run collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# No test sends real mail, in this process or in the commands it starts.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
