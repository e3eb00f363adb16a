from hubsite.core.roles import Role


def roles(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "Role": Role,
        "is_hub": authenticated and user.is_hub,
        "is_hub_admin": authenticated and user.is_hub_admin,
        "is_partner": authenticated and user.is_partner,
        "is_viewer": authenticated and user.is_viewer,
    }
