"""System checks on the evaluation settings."""

from django.conf import settings
from django.core.checks import Error, register

# Below this, a group's aggregates come too close to one member's own answers.
MIN_GROUP_FLOOR = 3
DEFAULT_MIN_GROUP = 5


def min_group() -> int:
    """The smallest group whose evaluation results coordinators may see."""
    value = getattr(settings, "EVALUATION_MIN_GROUP", DEFAULT_MIN_GROUP)
    # The check below stops a bad value at start-up; this keeps it safe if checks are skipped.
    return value if isinstance(value, int) and value >= MIN_GROUP_FLOOR else DEFAULT_MIN_GROUP


@register("evaluation")
def min_group_is_safe(app_configs, **kwargs):
    value = getattr(settings, "EVALUATION_MIN_GROUP", DEFAULT_MIN_GROUP)
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_GROUP_FLOOR:
        return [
            Error(
                f"EVALUATION_MIN_GROUP is {value!r}; it must be a whole number of at least "
                f"{MIN_GROUP_FLOOR}.",
                hint="Evaluation results of smaller groups could point at one member's answers.",
                id="evaluation.E001",
            )
        ]
    return []
