"""The one way a view shows a service's refusal (a ValidationError) to the member."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_refusal(request, error: ValidationError, *, form=None, at_top: bool = False) -> None:
    """Show a service's refusal where the member acts on it.

    With a form (the page is shown again, so nothing typed is lost): each error next to the
    form's field it names, the others at the top of the form; `at_top` puts them all at the
    top (errors about other things than the form's own fields). Without a form: one error
    message, shown on the page the view redirects to.
    """
    if form is None:
        messages.error(request, " ".join(error.messages))
    elif at_top:
        form.add_error(None, error.messages)
    elif not hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
