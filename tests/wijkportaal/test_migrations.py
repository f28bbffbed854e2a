"""A database from before the cut into apps migrates forward with every row in place.

Proposals, comments, advice, outcomes and moderation moved from agendas to participation,
meetings to meetings, reminders and reports to followup. The test builds the schema as it
was (agendas 0006), fills it through the models as they were then, migrates to the latest
state and reads everything back through today's models: the same ids, the same links, and
the generic relations (follows, reminders, change records, permissions) still pointing at
the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Follow
from agendas.models import ChangeRecord
from followup.models import Reminder, Report
from meetings.models import Meeting
from participation.models import Advice, Comment, CommentReport, InputOutcome, Proposal

BEFORE = [
    ("agendas", "0006_item_areas"),
    ("participation", None),
    ("meetings", None),
    ("followup", None),
]
MOVED = {
    "participation": [
        "proposal",
        "comment",
        "advice",
        "inputoutcome",
        "commentreport",
        "moderationlog",
    ],
    "meetings": ["meeting"],
    "followup": ["reminder", "report"],
}
NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def migrate(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate the test database to `targets`; returns the models as they are there."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    return state.apps


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_apps(transactional_db: None) -> Iterator[Apps]:
    """The models as agendas 0006 had them, on a database migrated back to then."""
    try:
        yield migrate(BEFORE)
    finally:
        # Later tests (and --reuse-db) need the schema of today.
        migrate(latest())


def fill(apps: Apps) -> dict[str, Any]:
    """Rows of every moved model, with their links, made through the models of then."""
    get = apps.get_model
    content_type = get("contenttypes", "ContentType")
    user = get("accounts", "User").objects.create(email="rina@example.org", full_name="Rina")
    team = get("areas", "Gebiedsteam").objects.create(name="Noord", slug="noord")
    wijk = get("areas", "Wijk").objects.create(
        name="Heikant", slug="heikant", code="WK085501", gebiedsteam=team
    )
    council = get("areas", "Wijkraad").objects.create(name="Wijkraad Heikant", slug="heikant")
    agenda = get("agendas", "Wijkagenda").objects.create(
        gebiedsteam=team,
        title="Heikant",
        slug="heikant",
        summary="Samen aan de slag.",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    plan = get("agendas", "Plan").objects.create(
        wijkagenda=agenda,
        title="Plan 2025",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    owner = get("pacts", "PartnerOrganisation").objects.create(
        name="Gemeente Tilburg", slug="gemeente-tilburg", kind="municipality"
    )
    action = get("agendas", "Action").objects.create(
        plan=plan, title="Oversteek", owner_organisation=owner
    )
    proposal = get("agendas", "Proposal").objects.create(
        gebiedsteam=team,
        title="Veilige oversteek",
        slug="veilige-oversteek",
        body="Een zebrapad.",
        opens_at=NOON,
        closes_at=NOON + dt.timedelta(days=14),
        author=user,
    )
    proposal.wijken.set([wijk])
    proposal.actions.set([action])
    comment = get("agendas", "Comment").objects.create(
        proposal=proposal, author=user, body="Graag."
    )
    reply = get("agendas", "Comment").objects.create(
        proposal=proposal, parent=comment, author=user, body="Dank je."
    )
    advice = get("agendas", "Advice").objects.create(
        proposal=proposal, wijkraad=council, deadline=NOON + dt.timedelta(days=20)
    )
    outcome = get("agendas", "InputOutcome").objects.create(
        proposal=proposal, comment=comment, outcome="adopted", reason="Komt er."
    )
    report = get("agendas", "CommentReport").objects.create(
        comment=reply, reporter=user, reason="Off-topic."
    )
    log = get("agendas", "ModerationLog").objects.create(
        comment=reply, report=report, moderator=user, act="dismiss"
    )
    meeting = get("agendas", "Meeting").objects.create(
        gebiedsteam=team,
        kind="wijkdialoog",
        title="Wijkdialoog Heikant",
        starts_at=NOON,
        ends_at=NOON + dt.timedelta(hours=2),
    )
    meeting.wijken.set([wijk])
    meeting.proposals.set([proposal])
    types = {
        model: content_type.objects.get_or_create(app_label="agendas", model=model)[0]
        for models in MOVED.values()
        for model in models
    }
    reminder = get("agendas", "Reminder").objects.create(
        kind="meeting_soon",
        content_type=types["meeting"],
        object_id=meeting.pk,
        recipient=user,
        recipient_email=user.email,
        due_moment=NOON,
    )
    progress_report = get("agendas", "Report").objects.create(
        gebiedsteam=team,
        period="month",
        start=dt.date(2025, 2, 1),
        end=dt.date(2025, 2, 28),
        requested_by=user,
    )
    follow = get("accounts", "Follow").objects.create(
        user=user, content_type=types["proposal"], object_id=proposal.pk
    )
    change = get("agendas", "ChangeRecord").objects.create(
        gebiedsteam=team,
        content_type=types["meeting"],
        object_id=meeting.pk,
        object_label=meeting.title,
        kind="created",
        revision=0,
        author=user,
    )
    permission = get("auth", "Permission").objects.create(
        name="Can decide proposal", codename="decide_proposal", content_type=types["proposal"]
    )
    return {
        "proposal": proposal.pk,
        "comment": comment.pk,
        "reply": reply.pk,
        "advice": advice.pk,
        "outcome": outcome.pk,
        "report": report.pk,
        "log": log.pk,
        "meeting": meeting.pk,
        "wijk": wijk.pk,
        "action": action.pk,
        "reminder": reminder.pk,
        "progress_report": progress_report.pk,
        "follow": follow.pk,
        "change": change.pk,
        "permission": permission.pk,
        "types": {model: ct.pk for model, ct in types.items()},
    }


def test_a_database_from_before_the_split_keeps_its_rows(old_apps: Apps) -> None:
    ids = fill(old_apps)

    migrate(latest())
    ContentType.objects.clear_cache()

    proposal = Proposal.objects.get(pk=ids["proposal"])
    comment, reply = Comment.objects.get(pk=ids["comment"]), Comment.objects.get(pk=ids["reply"])
    meeting = Meeting.objects.get(pk=ids["meeting"])
    assert (proposal.title, proposal.status) == ("Veilige oversteek", "draft")
    assert [w.pk for w in proposal.wijken.all()] == [ids["wijk"]]
    assert [a.pk for a in proposal.actions.all()] == [ids["action"]]
    assert (comment.proposal_id, reply.parent_id) == (proposal.pk, comment.pk)
    assert Advice.objects.get(pk=ids["advice"]).proposal_id == proposal.pk
    assert InputOutcome.objects.get(pk=ids["outcome"]).comment_id == comment.pk
    assert CommentReport.objects.get(pk=ids["report"]).comment_id == reply.pk
    assert reply.moderation_log.get().pk == ids["log"]
    assert [p.pk for p in meeting.proposals.all()] == [proposal.pk]
    assert [w.pk for w in meeting.wijken.all()] == [ids["wijk"]]
    assert Report.objects.get(pk=ids["progress_report"]).period == "month"
    # The generic relations: the same content type rows, now under their new apps.
    moved_types = {
        (ct.pk, ct.app_label, ct.model)
        for ct in ContentType.objects.filter(pk__in=ids["types"].values())
    }
    assert moved_types == {
        (ids["types"][model], app, model) for app, models in MOVED.items() for model in models
    }
    reminder = Reminder.objects.get(pk=ids["reminder"])
    assert reminder.content_type.get_object_for_this_type(pk=reminder.object_id) == meeting
    assert Follow.objects.get(pk=ids["follow"]).subject == proposal
    assert ChangeRecord.objects.get(pk=ids["change"]).content_type.model_class() is Meeting
    permission = Permission.objects.get(pk=ids["permission"])
    assert (permission.content_type.app_label, permission.codename) == (
        "participation",
        "decide_proposal",
    )


def test_the_moved_tables_carry_their_new_apps_names(transactional_db: None) -> None:
    tables = set(connection.introspection.table_names())

    expected = {f"{app}_{model}" for app, models in MOVED.items() for model in models}
    assert expected <= tables
    assert {f"agendas_{model}" for models in MOVED.values() for model in models} & tables == set()


def test_the_municipal_admins_of_before_become_functional_administrators(
    transactional_db: None,
) -> None:
    try:
        before = migrate([("accounts", "0002_notification_emailed_at")])
        user = before.get_model("accounts", "User")
        for email, is_staff, is_superuser in [
            ("beheer@example.org", True, False),
            ("techniek@example.org", True, True),
            ("bewoner@example.org", False, False),
        ]:
            user.objects.create(email=email, is_staff=is_staff, is_superuser=is_superuser)

        after = migrate([("accounts", "0003_functional_admin_and_notification_subject")])

        functional_admins = after.get_model("accounts", "User").objects.filter(
            is_functional_admin=True
        )
        # The technical superuser keeps the admin site, not the portal's administration.
        assert list(functional_admins.values_list("email", flat=True)) == ["beheer@example.org"]
    finally:
        migrate(latest())
