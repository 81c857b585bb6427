from django.utils.functional import SimpleLazyObject


def navigation(request):
    """What the navigation shows depends on the member's roles; computed on first use."""

    def build():
        user = request.user
        if not user.is_authenticated:
            return {"is_coordinator": False, "programs": []}
        from programs.selectors import navigation_of

        is_coordinator, programs = navigation_of(user)
        return {"is_coordinator": is_coordinator, "programs": programs}

    return {"nav": SimpleLazyObject(build)}
