"""The log-in form."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing a username longer than any can be before trying it.

    Django only sets the box's maxlength: a longer name went on to the failed log-in record of
    django-axes, whose column it overflows on PostgreSQL (a server error instead of a refusal).
    """

    def clean(self):
        if len(self.cleaned_data.get("username") or "") > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return super().clean()
