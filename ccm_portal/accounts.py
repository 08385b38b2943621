from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up creates a plain account. Roles are given only by the secretariat, in the admin."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = user.is_superuser = False
        if commit:
            user.save()
        return user
