from django.contrib import messages
from django.core.exceptions import ValidationError


def error_message(request, error: ValidationError) -> None:
    """Show a service's refusal (a ValidationError) to the member as one message."""
    messages.error(request, " ".join(error.messages))
