from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import dateformat, timezone

from accounts import outbox, purposes, services
from accounts.models import Invitation, OutgoingMail, User
from areas.models import CouncilMembership, Gebiedsteam, TeamMembership
from pacts.models import OrganisationMembership
from tests.factories import (
    PartnerOrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

LINK = re.compile(r"https?://testserver/account/uitnodiging/(?P<token>[\w-]+)/")


def team_purpose(gebiedsteam: Gebiedsteam, role: str = "omgevingsmanager", **extra: Any) -> dict:
    return {"kind": "team", "gebiedsteam": gebiedsteam.pk, "role": role, **extra}


def token_from(message: mail.EmailMessage) -> str:
    match = LINK.search(message.body)
    assert match is not None, message.body
    return match["token"]


def issue(gebiedsteam: Gebiedsteam, email: str = "nieuw@example.org", **purpose: Any) -> str:
    """An invitation made without mail, returning its plain token."""
    __, token = Invitation.issue(
        email=email, invited_by=None, purpose=team_purpose(gebiedsteam, **purpose)
    )
    return token


# invite


def test_invite_sends_the_email_only_after_commit(
    gebiedsteam: Gebiedsteam,
    team_member: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.invite(
            email=" Nieuw@Example.org ",
            invited_by=team_member,
            purpose=team_purpose(gebiedsteam),
            base_url="http://testserver/",
        )
        assert mailoutbox == []

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nieuw@example.org"]
    assert message.subject == "Your invitation to the Wijkportaal of Tilburg"
    token = token_from(message)
    expires = dateformat.format(timezone.localtime(invitation.expires_at), "j F Y, H:i")
    assert message.body == (
        "Hello,\n\n"
        "Regisseur Rina invites you to the Wijkportaal of Tilburg.\n"
        "You are invited to join gebiedsteam Noord as omgevingsmanager.\n\n"
        "Open this link to choose a password and accept the invitation:\n"
        f"http://testserver/account/uitnodiging/{token}/\n\n"
        f"The link works once, until {expires}.\n"
        "Did you not expect this e-mail? Then you can ignore it.\n\n"
    )
    assert Invitation.objects.get() == invitation
    assert invitation.token_hash == Invitation.hash_token(token)


def test_invite_stores_only_a_hash_of_the_token(
    gebiedsteam: Gebiedsteam,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            email="nieuw@example.org",
            invited_by=None,
            purpose=team_purpose(gebiedsteam),
            base_url="http://testserver",
        )

    token = token_from(mailoutbox[0])
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token
    assert Invitation.objects.filter(token_hash=token).count() == 0


def test_invite_refuses_a_kind_no_app_handles(gebiedsteam: Gebiedsteam) -> None:
    with pytest.raises(ValueError, match="No app handles invitations of kind 'club'"):
        services.invite(email="nieuw@example.org", invited_by=None, purpose={"kind": "club"})

    assert Invitation.objects.count() == 0


def test_invite_expires_after_seven_days(gebiedsteam: Gebiedsteam) -> None:
    before = timezone.now()

    invitation = services.invite(
        email="nieuw@example.org", invited_by=None, purpose=team_purpose(gebiedsteam)
    )

    assert before + dt.timedelta(days=7) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + dt.timedelta(days=7)


# accept_invitation


def test_accept_invitation_creates_the_user_and_the_membership(gebiedsteam: Gebiedsteam) -> None:
    token = issue(gebiedsteam, role="omgevingsmanager")

    user = services.accept_invitation(
        token=token, password="een-lang-wachtwoord-42", full_name=" Olga Omgeving "
    )

    assert user.email == "nieuw@example.org"
    assert user.full_name == "Olga Omgeving"
    assert user.check_password("een-lang-wachtwoord-42") is True
    membership = TeamMembership.objects.get(user=user)
    assert (membership.gebiedsteam, membership.role) == (gebiedsteam, "omgevingsmanager")
    assert Invitation.objects.get().accepted_at is not None


def test_accept_invitation_sets_the_password_of_an_existing_user(gebiedsteam: Gebiedsteam) -> None:
    existing = UserFactory(email="nieuw@example.org", full_name="Nina Nieuw")
    token = issue(gebiedsteam, email="NIEUW@example.org")

    user = services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert user.pk == existing.pk
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.full_name == "Nina Nieuw"
    assert user.check_password("een-lang-wachtwoord-42") is True
    assert TeamMembership.objects.filter(user=user, gebiedsteam=gebiedsteam).count() == 1


def test_accept_invitation_gives_an_existing_member_the_invited_role(
    gebiedsteam: Gebiedsteam,
) -> None:
    member = TeamMembershipFactory(
        user=UserFactory(email="nieuw@example.org"), gebiedsteam=gebiedsteam, role="ondersteuner"
    )
    token = issue(gebiedsteam, role="wijkregisseur")

    services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert list(TeamMembership.objects.values_list("pk", "role")) == [(member.pk, "wijkregisseur")]


def test_accept_invitation_works_only_once(gebiedsteam: Gebiedsteam) -> None:
    token = issue(gebiedsteam)
    services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="Nina")

    with pytest.raises(services.InvitationUnusable) as error:
        services.accept_invitation(token=token, password="ander-wachtwoord-77", full_name="Mallory")

    assert error.value.reason == "used"
    user = User.objects.get()
    assert (user.full_name, user.check_password("een-lang-wachtwoord-42")) == ("Nina", True)


def test_accept_invitation_refuses_an_expired_invitation(gebiedsteam: Gebiedsteam) -> None:
    token = issue(gebiedsteam)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(services.InvitationUnusable) as error:
        services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert error.value.reason == "expired"
    assert User.objects.count() == 0
    assert TeamMembership.objects.count() == 0
    assert Invitation.objects.get().accepted_at is None


def test_accept_invitation_refuses_an_unknown_token(gebiedsteam: Gebiedsteam) -> None:
    issue(gebiedsteam)

    with pytest.raises(services.InvitationUnusable) as error:
        services.accept_invitation(token="made-up", password="een-lang-wachtwoord-42", full_name="")

    assert error.value.reason == "unknown"
    assert User.objects.count() == 0


def test_accept_invitation_of_an_old_team_invitation_naming_an_organisation_joins_the_team_only(
    gebiedsteam: Gebiedsteam,
) -> None:
    # Sent before team invitations stopped granting organisation staff: the organisation in
    # its purpose is ignored.
    organisation = PartnerOrganisationFactory(name="WonenBreburg")
    token = issue(gebiedsteam, role="partner", organisation=organisation.pk)

    user = services.accept_invitation(
        token=token, password="een-lang-wachtwoord-42", full_name="Piet Partner"
    )

    assert list(TeamMembership.objects.filter(user=user).values_list("role", flat=True)) == [
        "partner"
    ]
    assert OrganisationMembership.objects.count() == 0


def test_accept_invitation_without_organisation_makes_no_organisation_membership(
    gebiedsteam: Gebiedsteam,
) -> None:
    token = issue(gebiedsteam)

    services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert OrganisationMembership.objects.count() == 0


def test_accept_invitation_to_a_wijkraad_makes_the_council_membership() -> None:
    wijkraad = WijkraadFactory(name="Wijkraad Noord")
    __, token = Invitation.issue(
        email="raad@example.org",
        invited_by=None,
        purpose={"kind": "council", "wijkraad": wijkraad.pk, "role": "secretary"},
    )

    user = services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert list(CouncilMembership.objects.values_list("user", "wijkraad", "role")) == [
        (user.pk, wijkraad.pk, "secretary")
    ]


def test_accept_invitation_refuses_a_deactivated_account_and_changes_nothing(
    gebiedsteam: Gebiedsteam,
) -> None:
    UserFactory(email="nieuw@example.org", full_name="Oud Account", is_active=False, is_staff=True)
    token = issue(gebiedsteam, email="Nieuw@example.org")

    with pytest.raises(services.InvitationUnusable) as error:
        services.accept_invitation(
            token=token, password="een-lang-wachtwoord-42", full_name="Nieuwe Naam"
        )

    assert error.value.reason == "deactivated"
    user = User.objects.get()
    assert (user.is_active, user.is_staff, user.full_name) == (False, True, "Oud Account")
    assert user.check_password("een-lang-wachtwoord-42") is False
    assert TeamMembership.objects.count() == 0
    assert Invitation.objects.get().accepted_at is None


def test_invitation_for_token_refuses_the_link_of_a_deactivated_account(
    gebiedsteam: Gebiedsteam,
) -> None:
    UserFactory(email="nieuw@example.org", is_active=False)
    token = issue(gebiedsteam)

    with pytest.raises(services.InvitationUnusable) as error:
        services.invitation_for_token(token)

    assert error.value.reason == "deactivated"


def test_accept_invitation_makes_an_ordinary_user(gebiedsteam: Gebiedsteam) -> None:
    token = issue(gebiedsteam, role="wijkregisseur")

    user = services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    user.refresh_from_db()
    assert (
        user.is_active,
        user.is_staff,
        user.is_superuser,
        user.is_functional_admin,
        user.is_moderator,
    ) == (True, False, False, False, False)
    assert list(user.groups.all()) == []
    assert list(user.user_permissions.all()) == []


def test_accept_invitation_grants_an_existing_account_no_privilege(
    gebiedsteam: Gebiedsteam,
) -> None:
    existing = UserFactory(email="nieuw@example.org")
    token = issue(gebiedsteam)

    services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    existing.refresh_from_db()
    assert (
        existing.is_active,
        existing.is_staff,
        existing.is_superuser,
        existing.is_functional_admin,
        existing.is_moderator,
    ) == (True, False, False, False, False)


def test_accept_invitation_rolls_back_when_a_handler_fails(
    gebiedsteam: Gebiedsteam, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("handler failed")

    monkeypatch.setitem(purposes.registry, "team", purposes.InvitationPurpose(handlers=[broken]))
    token = issue(gebiedsteam)

    with pytest.raises(RuntimeError, match="handler failed"):
        services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    assert User.objects.count() == 0
    assert Invitation.objects.get().accepted_at is None


# the registry


def test_register_invitation_purpose_runs_handlers_in_order_once_each(
    monkeypatch: pytest.MonkeyPatch, gebiedsteam: Gebiedsteam
) -> None:
    monkeypatch.setattr(purposes, "registry", {})
    calls: list[tuple[str, str, dict]] = []

    def first(*, user: User, purpose: dict) -> None:
        calls.append(("first", user.email, dict(purpose)))

    def second(*, user: User, purpose: dict) -> None:
        calls.append(("second", user.email, dict(purpose)))

    purposes.register_invitation_purpose("club", first, describe=lambda purpose: "join the club")
    purposes.register_invitation_purpose("club", second, describe=lambda purpose: "ignored")
    purposes.register_invitation_purpose("club", first)
    __, token = Invitation.issue(
        email="lid@example.org", invited_by=None, purpose={"kind": "club", "name": "schaak"}
    )

    services.accept_invitation(token=token, password="een-lang-wachtwoord-42", full_name="")

    purpose = {"kind": "club", "name": "schaak"}
    assert calls == [("first", "lid@example.org", purpose), ("second", "lid@example.org", purpose)]
    assert purposes.describe_purpose(purpose) == "join the club"


def test_describe_purpose_is_empty_for_an_unknown_kind() -> None:
    assert purposes.describe_purpose({"kind": "club"}) == ""


def test_pending_invitations_filters_on_the_purpose(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    issue(gebiedsteam, email="a@example.org")
    issue(other_gebiedsteam, email="b@example.org")
    issue(gebiedsteam, email="c@example.org")
    Invitation.objects.filter(email="c@example.org").update(accepted_at=timezone.now())

    pending = services.pending_invitations(kind="team", gebiedsteam=gebiedsteam.pk)

    assert [invitation.email for invitation in pending] == ["a@example.org"]


# the e-mail in the outbox


def test_an_invitation_mail_keeps_its_link_only_until_it_is_sent(
    gebiedsteam: Gebiedsteam, mailoutbox: list[mail.EmailMessage]
) -> None:
    invitation = services.invite(
        email="nieuw@example.org",
        invited_by=None,
        purpose=team_purpose(gebiedsteam),
        base_url="http://testserver",
    )
    (waiting,) = OutgoingMail.objects.all()
    assert (waiting.kind, waiting.invitation, waiting.sensitive) == ("invitation", invitation, True)
    assert "http://testserver/account/uitnodiging/" in waiting.text

    assert outbox.deliver(waiting.pk) == outbox.SENT

    waiting.refresh_from_db()
    assert (waiting.state, waiting.text, waiting.html) == ("sent", "", "")
    assert len(mailoutbox) == 1
    assert invitation.token_hash == Invitation.hash_token(token_from(mailoutbox[0]))


def test_an_invitation_sent_again_gets_a_new_link_and_the_old_one_stops_working(
    gebiedsteam: Gebiedsteam,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            email="nieuw@example.org",
            invited_by=None,
            purpose=team_purpose(gebiedsteam),
            base_url="http://testserver",
            days=1,
        )
    old = token_from(mailoutbox[0])

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.resend_invitation(invitation, base_url="http://testserver")

    assert again is not None
    new = token_from(mailoutbox[1])
    assert new != old
    assert services.invitation_for_token(new) == invitation
    with pytest.raises(services.InvitationUnusable) as refused:
        services.invitation_for_token(old)
    assert refused.value.reason == services.InvitationUnusable.UNKNOWN
    assert again.expires_at >= before + dt.timedelta(days=services.INVITATION_DAYS)
    assert OutgoingMail.objects.filter(invitation=invitation).count() == 2


def test_an_accepted_invitation_is_not_sent_again(
    gebiedsteam: Gebiedsteam, mailoutbox: list[mail.EmailMessage]
) -> None:
    issue(gebiedsteam)
    invitation = Invitation.objects.get()
    Invitation.objects.update(accepted_at=timezone.now())

    assert services.resend_invitation(invitation) is None
    assert (mailoutbox, OutgoingMail.objects.count()) == ([], 0)


def test_the_outbox_tasks_have_explicit_names() -> None:
    from accounts.outbox import send_mail
    from accounts.tasks import send_outbox

    assert (send_mail.name, send_outbox.name) == ("accounts.send_mail", "accounts.send_outbox")
