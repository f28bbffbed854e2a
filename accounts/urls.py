from __future__ import annotations

from django.urls import include, path

from accounts import views, views_residents

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.SignInView.as_view(), name="login"),
    path("uitloggen/", views.SignOutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation-accept"),
    # Resident accounts (signing up itself is portal:sign-up: it asks for the wijk too)
    path("aanmelden/verstuurd/", views_residents.sign_up_done, name="sign-up-done"),
    path(
        "aanmelden/nieuwe-link/",
        views_residents.resend_confirmation,
        name="resend-confirmation",
    ),
    path("bevestigen/<str:token>/", views_residents.confirm_email, name="confirm-email"),
    path(
        "nieuw-adres-bevestigen/<str:token>/",
        views_residents.confirm_new_email,
        name="confirm-new-email",
    ),
    path("e-mailadres/", views_residents.change_email, name="change-email"),
    path("verwijderen/", views_residents.delete_account, name="delete-account"),
    path("", include("accounts.urls_notifications")),
]
