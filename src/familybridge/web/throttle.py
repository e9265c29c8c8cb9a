"""How often a password reset email may be asked for: per address typed and per client, in Django's cache."""

from hashlib import sha256

from django.core.cache import cache

RESET_REQUESTS_PER_EMAIL = 3
RESET_REQUESTS_PER_CLIENT = 10
RESET_WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


def reset_request_allowed(email: str, client_address: str | None) -> bool:
    """Count this request; False once the address typed, or the client, asked more often than allowed this hour.

    Counted whether or not an account has the address, so being refused tells nothing about accounts. The address
    is hashed: the cache holds no one's email.
    """
    by_email = _count(f"password-reset:email:{sha256(email.strip().casefold().encode()).hexdigest()}")
    by_client = _count(f"password-reset:client:{client_address or 'unknown'}")
    return by_email <= RESET_REQUESTS_PER_EMAIL and by_client <= RESET_REQUESTS_PER_CLIENT
