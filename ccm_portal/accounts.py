from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up creates a plain account. Roles are given only by the secretariat, in the admin."""

    def get_login_redirect_url(self, request):
        # Staff land on the secretariat dashboard; focal points on their registrations.
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = user.is_superuser = False
        if commit:
            user.save()
        return user
