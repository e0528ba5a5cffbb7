from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lowdose.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and clinics"
