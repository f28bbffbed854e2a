"""People: the user model, invitations, notifications, follows and preferences.

This app knows no domain model. Domain apps call into it: an invitation to a gebiedsteam is
created by `areas` with `Invitation`, and follows point at any object through content types.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.contrib.auth import get_backends
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Revisioned(TimeStampedModel):
    """A model whose edit forms carry the revision they were opened at: a save from a form
    opened before someone else's save is refused (`web.editing.lock_at_revision`).

    Here, below every domain app, so that each can use it: the agenda content and meetings
    (saved through `agendas.history`), werkplekken, proposals, advice and comments.
    """

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    Made before the first migration: swapping the user model later is painful.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("access to the admin site"),
        default=False,
        help_text=_(
            "May sign in to the admin site at /beheer/; what they may do there comes "
            "from being functional administrator or superuser."
        ),
    )
    is_functional_admin = models.BooleanField(
        _("functional administrator"),
        default=False,
        help_text=_(
            "The municipality's functional administrator: manages teams, councils, "
            "organisations, boundaries and users, in the portal and in the admin site."
        ),
    )
    is_moderator = models.BooleanField(_("moderator"), default=False)
    is_resident = models.BooleanField(
        _("resident"),
        default=False,
        help_text=_(
            "Signed up on the portal as a resident, not invited; inactive until the e-mail "
            "address is confirmed (accounts/residents.py)."
        ),
    )
    email_confirmed_at = models.DateTimeField(
        _("e-mail address confirmed at"),
        null=True,
        blank=True,
        help_text=_("When a resident confirmed their e-mail address by the link sent to it."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Whether the user holds the permission, asked of the backends for everyone.

        Django answers yes to every question asked of an active superuser. Here the
        superuser's privilege is the admin site's: the model backend grants superusers every
        permission of a model (checked without an object, as the admin does), but the
        portal's rules, which are checked on an object or are not model permissions at all,
        treat a superuser like anyone with the same memberships (docs/roles.md).
        """
        if not self.is_active:
            return False
        for backend in get_backends():
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    @property
    def awaits_confirmation(self) -> bool:
        """A resident who signed up and has not yet confirmed their e-mail address: inactive
        until they do, unlike an account the functional administrator deactivated."""
        return self.is_resident and not self.is_active and self.email_confirmed_at is None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def is_functional_admin(user: Any) -> bool:
    """The municipality's functional administrator: an active account with that flag (not
    the technical superuser, who in the portal has only the memberships they hold)."""
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "is_functional_admin", False)
    )


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at=None, expires_at__gt=timezone.now())


class Invitation(TimeStampedModel):
    """A single-use link by which a person sets a password and joins a team or council.

    Only a hash of the token is stored: a leaked database does not leak working links. What
    joining means (which team, which role) is the `purpose` the inviting app stored and
    carries out itself when the invitation is accepted.
    """

    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    purpose = models.JSONField(_("purpose"), default=dict, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, email: str, invited_by: User | None, purpose: dict[str, Any], days: int = 7
    ) -> tuple[Invitation, str]:
        """Create an invitation and return it with the plain token for the link."""
        token = cls.new_token()
        invitation = cls.objects.create(
            email=email.strip().lower(),
            token_hash=cls.hash_token(token),
            invited_by=invited_by,
            purpose=purpose,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return invitation, token


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: User) -> NotificationQuerySet:
        return self.filter(recipient_id=user.pk)

    def newest_first(self) -> NotificationQuerySet:
        return self.order_by("-created_at", "-pk")

    def not_emailed(self) -> NotificationQuerySet:
        return self.filter(emailed_at=None)

    def due_for_digest(self, frequency: str) -> NotificationQuerySet:
        """Unread, not yet e-mailed notifications of active users, of a kind the recipient
        gets as a `frequency` ("daily" or "weekly") digest: the news of the next digest."""
        return self.filter(emailed_at=None, read_at=None, recipient__is_active=True).filter(
            models.Exists(
                NotificationPreference.objects.filter(
                    user_id=models.OuterRef("recipient_id"),
                    kind=models.OuterRef("kind"),
                    frequency=frequency,
                )
            )
        )


class Notification(TimeStampedModel):
    class Kind(models.TextChoices):
        PROPOSAL_OPENED = "proposal_opened", _("Proposal opened for comments")
        COMMENT_REPLY = "comment_reply", _("Reply to my comment")
        ADVICE_REQUESTED = "advice_requested", _("Advice requested")
        ADVICE_ANSWERED = "advice_answered", _("Advice answered")
        DECISION_PUBLISHED = "decision_published", _("Decision published")
        COMMENT_HIDDEN = "comment_hidden", _("My comment was hidden")
        COMMENT_REPORTED = "comment_reported", _("A comment was reported")
        REPORT_HANDLED = "report_handled", _("My report was handled")
        REMINDER = "reminder", _("Reminder")
        UPDATE = "update", _("Update on something I follow")
        MEETING_PLACE = "meeting_place", _("A place for me at a meeting")

    recipient = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # What the notification is about. Before it is e-mailed, and whenever it is listed, the
    # recipient must still be able to see it (its model's `visible_to`): a proposal made
    # council-only or a meeting closed after the notification was made is not told.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # Used by the unread count in the header of every signed-in page.
            models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread_idx"),
            # Used by the digest sweep (NotificationQuerySet.due_for_digest): the notifications
            # not yet e-mailed, a small share of all of them.
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(emailed_at=None, read_at=None),
                name="accounts_notif_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at", "updated_at"])


class FollowQuerySet(models.QuerySet["Follow"]):
    def of(self, *subjects: models.Model) -> FollowQuerySet:
        """The follows of any of these objects (of any models), in one query."""
        by_type: dict[int, set[Any]] = {}
        for subject in subjects:
            content_type = ContentType.objects.get_for_model(subject)
            by_type.setdefault(content_type.pk, set()).add(subject.pk)
        if not by_type:
            return self.none()
        condition = models.Q()
        for content_type_id, ids in by_type.items():
            condition |= models.Q(content_type_id=content_type_id, object_id__in=sorted(ids))
        return self.filter(condition)

    def by(self, user: User) -> FollowQuerySet:
        return self.filter(user_id=user.pk)


class Follow(TimeStampedModel):
    """A user following a wijk, a wijkagenda or a proposal (any object, by content type)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="accounts_follow_once"
            )
        ]
        indexes = [
            # Used to find the followers of one object when it changes.
            models.Index(fields=["content_type", "object_id"], name="accounts_follow_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class NotificationPreference(TimeStampedModel):
    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Notification.Kind)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="accounts_preference_once"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=["immediately", "daily", "weekly", "off"]),
                name="accounts_preference_frequency_known",
                violation_error_message=_("Unknown frequency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.frequency}"


class ThrottleCount(models.Model):
    """A throttle counter kept in the database while the cache (Redis) cannot be reached.

    accounts/throttle.py counts failed sign-ins and reset requests in the cache; when the cache
    fails it counts here instead, so sign-in keeps working and stays throttled. `key` is the
    cache key it would have had (a hash, no e-mail or IP address); the window is fixed and
    starts at the first count. Expired rows are removed as new windows start.
    """

    key = models.CharField(max_length=128, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    def unsent(self) -> OutgoingMailQuerySet:
        """Waiting to be sent: neither sent nor given up (failed or withdrawn)."""
        return self.filter(sent_at=None, failed_at=None, withdrawn_at=None)

    def due(self, *, now: datetime, claim_timeout: timedelta) -> OutgoingMailQuerySet:
        """Unsent, due for an attempt, and held by no live sender: never claimed, or claimed
        longer ago than a send can take (the sender died holding it)."""
        return (
            self.unsent()
            .filter(next_attempt_at__lte=now)
            .filter(models.Q(claimed_at=None) | models.Q(claimed_at__lt=now - claim_timeout))
        )

    def failed(self) -> OutgoingMailQuerySet:
        return self.filter(failed_at__isnull=False)


class OutgoingMail(models.Model):
    """One e-mail of the portal, from the moment the event that causes it is saved until the
    mail server took it: the outbox (accounts/outbox.py).

    The row is written in the transaction of its event, so a mail exists exactly when its
    event does, whatever the broker or the mail server does afterwards. Senders claim a row
    with a conditional UPDATE of `claimed_at`; a failed attempt is retried with a growing
    pause until WIJKPORTAAL_MAIL_RETRY_HOURS after `created_at`, then the mail has failed
    for good and shows in the admin and on /status/ for the functional administrator.

    Mails that carry a secret link (an invitation, a password reset) are `sensitive`: their
    text is emptied once sent or given up, so the database keeps no working link.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")
        CONFIRMATION = "confirmation", _("Confirmation of an e-mail address")
        NOTIFICATION = "notification", _("Notification")
        DIGEST = "digest", _("Summary of notifications")
        REMINDER = "reminder", _("Reminder")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    sensitive = models.BooleanField(_("contains a secret link"), default=False)
    # The invitation a mail invites to: the functional administrator can send it again.
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    # The notification a mail tells of: checked again at sending, for its recipient must
    # still be able to see its subject (accounts.visibility).
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's question, "what is due?", over the few rows still waiting.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at=None, failed_at=None, withdrawn_at=None),
                name="accounts_mail_unsent_idx",
            ),
            models.Index(
                fields=["failed_at"],
                condition=models.Q(failed_at__isnull=False),
                name="accounts_mail_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        if self.withdrawn_at:
            return "withdrawn"
        return "waiting"
