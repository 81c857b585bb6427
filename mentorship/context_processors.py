from django.utils.functional import SimpleLazyObject


def navigation(request):
    """What the navigation shows depends on the member's roles; computed on first use."""

    def build():
        user = request.user
        if not user.is_authenticated:
            return {"is_coordinator": False, "programs": []}
        from programs.selectors import participations_of

        return {
            "is_coordinator": user.coordinated_programs.exists(),
            "programs": [p.program for p in participations_of(user)],
        }

    return {"nav": SimpleLazyObject(build)}
