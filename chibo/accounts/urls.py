from django.urls import path

from chibo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("security/", views.security, name="security"),
    path("security/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/grant/", views.grant_create, name="grant_create"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/reset-2fa/", views.user_reset_second_factor, name="user_reset_2fa"),
    path("users/<int:pk>/password/", views.user_set_password, name="user_set_password"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]
