"""The demo's accounts: one per role, a known password with DEBUG only, and a README that
lists the same accounts as portal.demo.content.DEMO_ACCOUNTS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.management import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification, User
from agendas.models import Action
from areas.models import Gebiedsteam
from participation.models import Comment, CommentReport, Proposal
from portal.demo.content import DEMO_ACCOUNTS, PEOPLE
from tests.helpers import shared_rows
from tests.portal.test_demo import contents, load, row_counts

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "wijkportaal-demo"  # noqa: S105
LOGIN_URL = "/account/inloggen/"

# What each demo account holds: teams (slug, role), councils (slug, role), organisations
# (slug, staff administrator), and the flags moderator, functional administrator, staff.
ROLES = {
    "noor.vermeulen@example.org": (
        [("west", "wijkregisseur")],
        [],
        [("gemeente-tilburg", False)],
        (False, False, False),
    ),
    "bram.dekkers@example.org": (
        [("oud-zuid-west-zuid", "omgevingsmanager")],
        [],
        [("gemeente-tilburg", False)],
        (False, False, False),
    ),
    "esra.yildiz@example.org": (
        [("west", "ondersteuner")],
        [],
        [("gemeente-tilburg", False)],
        (False, False, False),
    ),
    "mirjam.kuipers@example.org": (
        [("west", "partner")],
        [],
        [("contourdetwern", False)],
        (False, False, False),
    ),
    "daan.hoeks@example.org": ([], [], [("wonenbreburg", False)], (False, False, False)),
    "bas.vandenberg@example.org": (
        [("noord", "partner")],
        [],
        [("gemeente-tilburg", False)],
        (False, False, False),
    ),
    "sem.aydin@example.org": ([], [], [("contourdetwern", True)], (False, False, False)),
    "hanneke.wouters@example.org": ([], [("wijkraad-west", "chair")], [], (False, False, False)),
    "yara.desmet@example.org": ([], [("wijkraad-noord", "secretary")], [], (False, False, False)),
    "karim.benali@example.org": (
        [],
        [("wijkraad-groenewoud", "member")],
        [],
        (False, False, False),
    ),
    "lisa.claassen@example.org": ([], [], [], (True, False, False)),
    "marloes.jansen@example.org": ([], [], [("gemeente-tilburg", False)], (False, True, True)),
    "tom.bakker@example.org": ([], [], [], (False, False, False)),
}


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # The sign-in throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def debug(settings: Any) -> Any:
    """A developer's machine: DEBUG, and the password settings.py gives it there."""
    settings.DEBUG = True
    settings.DEMO_PASSWORD = PASSWORD
    return settings


def holds(user: User) -> tuple[Any, ...]:
    return (
        sorted(user.team_memberships.values_list("gebiedsteam__slug", "role")),
        sorted(user.council_memberships.values_list("wijkraad__slug", "role")),
        sorted(
            user.organisation_memberships.values_list(
                "organisation__slug", "is_staff_administrator"
            )
        ),
        (user.is_moderator, user.is_functional_admin, user.is_staff),
    )


def sign_in(email: str, password: str) -> tuple[int, str | None]:
    """The status of the sign-in answer and the e-mail address of who is then signed in."""
    client = Client()
    response = client.post(LOGIN_URL, {"username": email, "password": password})
    user_id = client.session.get(SESSION_KEY)
    signed_in = User.objects.get(pk=user_id).email if user_id else None
    return response.status_code, signed_in


# The tests that start from one load share it: one load per class instead of one per test
# (each test runs in a savepoint, so what it changes is gone for the next).
@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`load_tilburg` without DEBUG, as in production; what it printed."""
    with shared_rows(django_db_blocker):
        yield load()


@pytest.fixture(scope="class")
def demo_with_passwords(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`load_tilburg --demo-passwords` with DEBUG (the `debug` fixture's settings), the
    password hashed with the one hasher tests/conftest.py leaves on; what it printed."""
    debug = override_settings(
        DEBUG=True,
        DEMO_PASSWORD=PASSWORD,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with shared_rows(django_db_blocker), debug:
        yield load("--demo-passwords")


class TestOneLoad:
    """What one load without DEBUG gives: the accounts, their roles, no passwords, the report."""

    def test_the_demo_has_one_account_per_role(self, demo):
        users = {user.email: user for user in User.objects.filter(email__in=ROLES)}
        assert {email: holds(user) for email, user in users.items()} == ROLES
        assert [account.email for account in DEMO_ACCOUNTS] == list(ROLES)
        with translation.override("en"):
            assert [str(account.role) for account in DEMO_ACCOUNTS] == [
                "Wijkregisseur (gebiedsteam West)",
                "Omgevingsmanager (gebiedsteam Oud-Zuid West & Zuid)",
                "Gebiedsmanagementondersteuner (gebiedsteam West)",
                "Partner representative in gebiedsteam West (ContourdeTwern)",
                "Partner staff (WonenBreburg)",
                "Municipal staff in gebiedsteam Noord",
                "Staff administrator (ContourdeTwern)",
                "Wijkraad chair (Wijkraad West)",
                "Wijkraad secretary (Wijkraad Noord)",
                "Wijkraad member (Wijkraad Groenewoud)",
                "Moderator",
                "Functional administrator",
                "Resident",
            ]

    def test_the_demo_residents_react_where_proposals_are_open_to_them(self, demo):
        """The public side shows residents taking part: proposals open to residents (of
        their wijken, or everyone with an account) carry residents' reactions, and the demo
        resident may react to the one for his own wijk."""
        open_to_residents = Proposal.objects.exclude(audience=Proposal.Audience.WIJKRADEN)
        reactions = Comment.objects.filter(proposal__in=open_to_residents, author__is_resident=True)
        assert sorted(
            (comment.proposal.slug, comment.proposal.audience, comment.author.email)
            for comment in reactions.select_related("proposal", "author")
        ) == [
            (
                "speelplek-kleurenbuurt-opnieuw-inrichten",
                "residents",
                "fatima.elamrani@example.org",
            ),
            ("speelveld-heikant-nieuwe-inrichting", "everyone", "joost.vanrijn@example.org"),
        ]
        tom = User.objects.get(email="tom.bakker@example.org")
        assert (tom.is_resident, tom.email_confirmed_at is not None) == (True, True)
        assert tom.has_perm(
            "participation.add_comment",
            Proposal.objects.get(slug="speelplek-kleurenbuurt-opnieuw-inrichten"),
        )
        assert not User.objects.get(pk=tom.pk).has_perm(
            "participation.add_comment",
            Proposal.objects.get(slug="bomen-en-bankjes-oude-dijk"),
        )

    def test_the_demo_roles_allow_what_they_say(self, demo):
        """Municipal staff report only in their own team's gebied; partner staff on their
        organisation's actions; the ondersteuner edits but does not publish."""
        people = {user.email: user for user in User.objects.filter(email__in=ROLES)}
        noord = Gebiedsteam.objects.get(slug="noord")
        municipal = Action.objects.filter(owner_organisation__slug="gemeente-tilburg")
        municipal_noord = municipal.filter(plan__wijkagenda__gebiedsteam=noord).first()
        municipal_west = municipal.filter(plan__wijkagenda__gebiedsteam__slug="west").first()
        housing = Action.objects.filter(owner_organisation__slug="wonenbreburg").first()
        west_agenda = municipal_west.plan.wijkagenda

        def can(email: str, perm: str, obj: Any) -> bool:
            # A fresh user object: the rules remember memberships on the object.
            return User.objects.get(pk=people[email].pk).has_perm(perm, obj)

        assert {
            "municipal staff, own gebied": can(
                "bas.vandenberg@example.org", "agendas.add_progressupdate", municipal_noord
            ),
            "municipal staff, other gebied": can(
                "bas.vandenberg@example.org", "agendas.add_progressupdate", municipal_west
            ),
            "municipal staff, edit agenda": can(
                "bas.vandenberg@example.org", "agendas.change_wijkagenda", municipal_noord
            ),
            "partner staff, own action": can(
                "daan.hoeks@example.org", "agendas.add_progressupdate", housing
            ),
            "partner staff, municipal action": can(
                "daan.hoeks@example.org", "agendas.add_progressupdate", municipal_west
            ),
            "ondersteuner, edit agenda": can(
                "esra.yildiz@example.org", "agendas.change_wijkagenda", west_agenda
            ),
            "ondersteuner, publish agenda": can(
                "esra.yildiz@example.org", "agendas.publish_wijkagenda", west_agenda
            ),
            "moderator, queue": can(
                "lisa.claassen@example.org", "participation.view_moderation_queue", None
            ),
            "functional administrator, publish agenda": can(
                "marloes.jansen@example.org", "agendas.publish_wijkagenda", west_agenda
            ),
        } == {
            "municipal staff, own gebied": True,
            "municipal staff, other gebied": False,
            "municipal staff, edit agenda": False,
            "partner staff, own action": True,
            "partner staff, municipal action": False,
            "ondersteuner, edit agenda": True,
            "ondersteuner, publish agenda": False,
            "moderator, queue": True,
            "functional administrator, publish agenda": True,
        }

    def test_without_debug_no_demo_account_signs_in_with_the_demo_password(self, demo):
        output = demo

        assert {account.email: sign_in(account.email, PASSWORD) for account in DEMO_ACCOUNTS} == {
            account.email: (400, None) for account in DEMO_ACCOUNTS
        }
        assert not any(
            user.has_usable_password()
            for user in User.objects.filter(email__in=[person.email for person in PEOPLE])
        )
        assert "Demo-personen hebben geen wachtwoord (alleen met DEBUG)." in output.splitlines()

    def test_the_moderator_finds_one_open_report(self, demo):
        moderator = User.objects.get(email="lisa.claassen@example.org")

        reports = CommentReport.objects.visible_to(moderator).open()

        assert [
            (
                report.comment.proposal.slug,
                report.comment.proposal.status,
                report.comment.proposal.council_only,
                report.comment.author.email,
                report.reporter.email,
                report.reason,
            )
            for report in reports
        ] == [
            (
                "bomen-en-bankjes-oude-dijk",
                "open",
                False,
                "anouk.vandijk@example.org",
                "tom.bakker@example.org",
                "Deze reactie wijst buren aan met hun huisnummer.",
            )
        ]
        client = Client()
        client.force_login(moderator)
        page = client.get(reverse("participation:moderation-queue"))
        assert page.status_code == 200
        assert page.content.decode().count('class="report"') == 1

    def test_the_moderator_is_told_of_the_report_and_its_link_opens_it(self, demo, client):
        moderator = User.objects.get(email="lisa.claassen@example.org")
        report = CommentReport.objects.get()

        told = list(
            Notification.objects.filter(recipient=moderator).values_list(
                "kind", "url", "subject_id"
            )
        )
        load()

        assert told == [
            (
                Notification.Kind.COMMENT_REPORTED,
                f"/moderatie/meldingen/{report.pk}/",
                report.comment.proposal_id,
            )
        ]
        # A second load tells nobody again.
        assert Notification.objects.filter(recipient=moderator).count() == 1
        client.force_login(moderator)
        assert client.get(told[0][1]).status_code == 200

    def test_a_handled_report_stays_handled_after_the_next_load(self, demo):
        report = CommentReport.objects.get()
        report.dismiss(by=User.objects.get(email="lisa.claassen@example.org"))

        load()

        assert list(CommentReport.objects.values_list("pk", "status")) == [(report.pk, "dismissed")]


class TestOneLoadWithDemoPasswords:
    """What one load with DEBUG and --demo-passwords gives: every demo person signs in."""

    def test_with_debug_every_demo_account_signs_in_with_the_demo_password(
        self, demo_with_passwords, debug
    ):
        output = demo_with_passwords

        assert {account.email: sign_in(account.email, PASSWORD) for account in DEMO_ACCOUNTS} == {
            account.email: (302, account.email) for account in DEMO_ACCOUNTS
        }
        # Every demo person, not only the ones listed, and all with the same one hash.
        users = User.objects.filter(email__in=[person.email for person in PEOPLE])
        assert {user.email: user.check_password(PASSWORD) for user in users} == {
            person.email: True for person in PEOPLE
        }
        assert len({user.password for user in users}) == 1
        assert "Demo-personen loggen in met het wachtwoord: wijkportaal-demo" in output.splitlines()

    def test_a_load_without_debug_takes_the_demo_password_away(self, demo_with_passwords, debug):
        debug.DEBUG = False
        debug.DEMO_PASSWORD = ""

        load()

        assert sign_in("noor.vermeulen@example.org", PASSWORD) == (400, None)
        assert not User.objects.get(email="noor.vermeulen@example.org").has_usable_password()

    def test_a_second_load_with_demo_passwords_changes_nothing(self, demo_with_passwords, debug):
        counts, before = row_counts(), contents()

        load("--demo-passwords")

        assert row_counts() == counts
        assert contents() == before

    def test_with_debug_a_reset_link_for_a_demo_account_appears_in_the_console(
        self, demo_with_passwords, debug, capsys, django_capture_on_commit_callbacks
    ):
        """The mail of `make run` (DJANGO_EMAIL_URL's default, consolemail://) is written to the
        terminal, where a newcomer finds the link."""
        debug.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
        capsys.readouterr()

        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                reverse("accounts:password-reset"), {"email": "noor.vermeulen@example.org"}
            )

        assert response.status_code == 302
        console = capsys.readouterr().out
        assert "To: noor.vermeulen@example.org" in console
        assert re.search(
            r"http://testserver/account/wachtwoord-herstellen/[^/\s]+/[^/\s]+/", console
        )


def test_with_debug_the_demo_password_comes_without_asking(debug):
    load()

    assert sign_in("noor.vermeulen@example.org", PASSWORD) == (302, "noor.vermeulen@example.org")


def test_without_debug_demo_passwords_are_refused_and_nothing_is_written():
    with pytest.raises(CommandError) as excinfo:
        load("--demo-passwords")

    assert str(excinfo.value) == (
        "Demo-wachtwoorden alleen met DEBUG (DJANGO_DEBUG=true): nooit in productie."
    )
    assert (Gebiedsteam.objects.count(), User.objects.count()) == (0, 0)


def settings_in_a_new_process(debug: str) -> str:
    """settings.DEMO_PASSWORD as settings.py sets it with DJANGO_DEBUG=`debug`."""
    environment = {
        **os.environ,
        "DJANGO_DEBUG": debug,
        "DJANGO_SETTINGS_MODULE": "wijkportaal.settings",
        "DJANGO_SECRET_KEY": "only-for-the-test-suite",
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(repr(settings.DEMO_PASSWORD))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=README.parent,
    )
    return result.stdout.strip()


def test_settings_give_the_demo_password_with_debug_only():
    assert (settings_in_a_new_process("true"), settings_in_a_new_process("false")) == (
        repr(PASSWORD),
        repr(""),
    )


def readme_demo_accounts() -> list[tuple[str, str]]:
    """The rows of the table in the README's "Demo accounts" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Demo accounts\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (?!Role \|)([^|]+?) \| `([^`]+)` \|$", section, flags=re.MULTILINE)


def test_readme_lists_the_demo_accounts_and_their_password():
    with translation.override("en"):
        expected = [(str(account.role), account.email) for account in DEMO_ACCOUNTS]

    assert readme_demo_accounts() == expected
    section = README.read_text(encoding="utf-8").split("\n## Demo accounts\n", 1)[1]
    assert f"the password `{PASSWORD}`" in section.split("\n## ", 1)[0]
