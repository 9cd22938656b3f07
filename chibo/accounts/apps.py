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

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from chibo.accounts.security import on_locked_out, on_login_failed

        user_locked_out.connect(on_locked_out, dispatch_uid="chibo_security_locked_out")
        # After axes' own receiver (connected when axes loaded, before this app), so the attempt is counted.
        user_login_failed.connect(on_login_failed, dispatch_uid="chibo_security_login_failed")
