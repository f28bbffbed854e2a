from __future__ import annotations

import pytest

from accounts.models import Notification, OutgoingMail
from accounts.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_notification_per_distinct_recipient_but_not_the_actor(
    django_assert_num_queries,
):
    alice, bob, actor = UserFactory(), UserFactory(), UserFactory()

    # Who wants an e-mail at once, the insert, their addresses, and one insert of the mails.
    with django_assert_num_queries(4):
        created = notify(
            recipients=[alice, bob.pk, alice, actor],
            kind=Notification.Kind.COMMENT_REPLY,
            title="Er is gereageerd op je reactie",
            url="/voorstellen/speelveld/#reactie-3",
            exclude=actor,
        )

    assert len(created) == 2
    assert sorted(OutgoingMail.objects.values_list("to", "notification__recipient")) == sorted(
        (user.email, user.pk) for user in (alice, bob)
    )
    assert sorted(
        Notification.objects.values_list("recipient_id", "kind", "title", "url", "read_at")
    ) == sorted(
        (
            user.pk,
            "comment_reply",
            "Er is gereageerd op je reactie",
            "/voorstellen/speelveld/#reactie-3",
            None,
        )
        for user in (alice, bob)
    )


def test_notify_without_recipients_creates_nothing():
    assert notify(recipients=[], kind=Notification.Kind.UPDATE, title="Niets") == []
    assert Notification.objects.count() == 0
