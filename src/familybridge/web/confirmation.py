"""The one confirmation step before a change that matters: a form, then what will change and a Confirm
button; only the confirmed post changes anything. Errors found by a trial run go next to their fields."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from familybridge.web.views import add_form_errors


class _DryRun(Exception):
    """Rolls back the trial of a change whose errors are shown before the user confirms it."""


def _trial(change: Callable[[], object]) -> None:
    """Run the change and roll it back: its validation errors come back to the form before confirmation."""
    try:
        with transaction.atomic():
            change()
            raise _DryRun
    except _DryRun:
        pass


def confirmed_change(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    describe: Callable[[dict], list[str]],
    change: Callable[[dict], object],
    done: Callable[[object], str],
    back: str,
    context: dict,
    back_label: str = "Back",
    intro: str = "",
    submit: str = "Continue",
) -> HttpResponse:
    """The two steps of every change here: the form, then what will change with a Confirm button; only the
    confirmed post changes anything. Errors go next to their fields at either step."""
    page = {
        "title": title,
        "intro": intro,
        "form": form,
        "back": back,
        "back_label": back_label,
        "submit": submit,
        **context,
    }
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                result = change(data)
                messages.success(request, done(result))
                return redirect(back)
            _trial(lambda: change(data))
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            return render(request, "web/confirm.html", {**page, "changes": describe(data)})
    return render(request, "web/change_form.html", page)
