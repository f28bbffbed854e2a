"""Admin for people: users (signing in by e-mail), invitations, notifications, follows, and
the outbox of e-mails with what failed to go out."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import outbox, services
from accounts.models import (
    Follow,
    Invitation,
    Notification,
    NotificationPreference,
    OutgoingMail,
    User,
)


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        # Lower-cased here, as User.save() does, so that the unique check sees the stored value.
        return self.cleaned_data["email"].strip().lower()


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_functional_admin",
                    "is_moderator",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (
            _("Important dates"),
            {"fields": ("last_login", "date_joined", "is_resident", "email_confirmed_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )
    list_display = (
        "email",
        "full_name",
        "is_functional_admin",
        "is_moderator",
        "is_active",
        "last_login",
    )
    list_filter = (
        "is_resident",
        "is_functional_admin",
        "is_moderator",
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
    )
    search_fields = ("email", "full_name")
    ordering = ("email",)
    # Whether someone signed up as a resident, and when they confirmed, is their own doing.
    readonly_fields = ("last_login", "date_joined", "is_resident", "email_confirmed_at")
    # Who grants privileges beyond the domain's: only the technical superuser.
    superuser_only_fields = ("is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return fields + self.superuser_only_fields


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are issued by the app that invites (with `Invitation.issue`), not here."""

    list_display = ("email", "invited_by", "created_at", "expires_at", "accepted_at")
    list_filter = ("accepted_at", "expires_at")
    list_select_related = ("invited_by",)
    search_fields = ("email",)
    fields = ("email", "invited_by", "purpose", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the invitation again, with a new link"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        resend_invitations(request, queryset)


def resend_invitations(request: HttpRequest, invitations: QuerySet[Invitation]) -> None:
    """Send these invitations again (the accepted ones are left alone) and say how many."""
    base_url = request.build_absolute_uri("/")
    sent = sum(
        services.resend_invitation(invitation, base_url=base_url) is not None
        for invitation in invitations.filter(accepted_at=None)
    )
    skipped = invitations.count() - sent
    if sent:
        message = ngettext(
            "%(count)d invitation is sent again with a new link; the old link no longer works.",
            "%(count)d invitations are sent again with a new link; the old links no longer work.",
            sent,
        )
        messages.success(request, message % {"count": sent})
    if skipped:
        message = ngettext(
            "%(count)d invitation was accepted already and is not sent again.",
            "%(count)d invitations were accepted already and are not sent again.",
            skipped,
        )
        messages.warning(request, message % {"count": skipped})


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind", "read_at")
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__email")
    autocomplete_fields = ("recipient",)
    fields = ("recipient", "kind", "title", "body", "url", "read_at")
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    list_select_related = ("user", "content_type")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
    fields = ("user", "content_type", "object_id")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "frequency")
    list_filter = ("kind", "frequency")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
    fields = ("user", "kind", "frequency")
    ordering = ("user__email", "kind")


class MailStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("waiting", _("Waiting")),
            ("failed", _("Failed")),
            ("sent", _("Sent")),
            ("withdrawn", _("Withdrawn")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "waiting":
                return queryset.filter(sent_at=None, failed_at=None, withdrawn_at=None)
            case "failed":
                return queryset.filter(failed_at__isnull=False)
            case "sent":
                return queryset.filter(sent_at__isnull=False)
            case "withdrawn":
                return queryset.filter(withdrawn_at__isnull=False)
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, for the functional administrator: what waits, what went, what failed.

    Mails are written by the portal, never here. A failed mail can be tried again; a failed
    invitation is sent again with a new link (its old one is gone from the outbox).
    """

    list_display = ("created_at", "kind", "to", "subject", "state_label", "attempts", "sent_at")
    list_filter = (MailStateFilter, "kind")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    actions = ("try_again", "send_invitation_again")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [
            "kind",
            "to",
            "subject",
            "created_at",
            "attempts",
            "next_attempt_at",
            "claimed_at",
            "last_error",
            "sent_at",
            "failed_at",
            "withdrawn_at",
            "invitation",
            "notification",
        ]
        # A mail with a secret link shows no text: the link is the invitee's alone.
        if obj is not None and not obj.sensitive:
            fields.insert(3, "text")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only: the actions change a mail, nothing else does

    @admin.display(description=_("state"))
    def state_label(self, mail: OutgoingMail) -> str:
        labels = {
            "waiting": _("Waiting"),
            "failed": _("Failed"),
            "sent": _("Sent"),
            "withdrawn": _("Withdrawn"),
        }
        return str(labels[mail.state])

    @admin.action(description=_("Try the selected failed e-mails again"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = outbox.try_again(list(queryset.values_list("pk", flat=True)))
        message = ngettext(
            "%(count)d failed e-mail is tried again.",
            "%(count)d failed e-mails are tried again.",
            count,
        )
        messages.success(request, message % {"count": count})

    @admin.action(description=_("Send the invitations of the selected e-mails again"))
    def send_invitation_again(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        ids = queryset.filter(invitation__isnull=False).values_list("invitation_id", flat=True)
        resend_invitations(request, Invitation.objects.filter(pk__in=ids))
