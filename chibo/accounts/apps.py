from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from chibo.accounts.models import User
        from chibo.accounts.tokens import revoke_on_account_change

        post_save.connect(revoke_on_account_change, sender=User, dispatch_uid="chibo_tokens_follow_account")
