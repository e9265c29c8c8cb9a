from django import template

from familybridge.cases.services import writable_kinds

register = template.Library()


@register.simple_tag
def record_kinds_for(user) -> list:
    """The kinds of record the user may add: the family page's "Add a record" menu."""
    return writable_kinds(user) if user.is_authenticated else []
