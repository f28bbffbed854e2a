"""Retention of reminders: the nightly job deletes old sent reminders without ever letting a
sweep send one again.

A reminder is sent exactly once because its row exists: `record` inserts one row per (kind,
subject, address, due moment) with `ignore_conflicts`, and only a new row is queued. Delete a
sent row and the next sweep that still finds its subject due with that due moment inserts
it anew and sends it again. So a sent reminder is deleted only when

- it was sent more than WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS ago, and
- its due moment is also older than that: the sweeps that look ahead (due soon, closing,
  deadline, review date, meeting soon) only find subjects whose due moment is still to
  come (today at the earliest), so they can never find it again; and
- its sweep does not find its subject due with that due moment now. The sweeps that look
  back (overdue, stalled, undecided, unanswered) keep finding a subject with the same old
  due moment for as long as nothing is done about it (an action overdue for two years), and
  such a reminder is kept until the subject stops being due.

What this cannot rule out: a subject that stopped being due, had its reminders pruned and
then becomes due again with the very same old due moment (an action reopened more than the
retention period after its due date, still without a new due date) is reminded once more.
That is news to its recipients after a year, not a repeat of last week's.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.retention import BATCH_SIZE
from followup.models import Reminder
from followup.services.reminders import SWEEPS

logger = logging.getLogger(__name__)

# A reminder's key without its address: (kind, content type id, subject id, due moment).
Key = tuple[str, int, int, dt.datetime]


def _still_due(kinds: set[str], *, now: dt.datetime, before: dt.datetime) -> set[Key]:
    """The (kind, subject, due moment) the sweeps of these kinds find due now, of the due
    moments before `before` (no others can match a reminder to prune)."""
    keys: set[Key] = set()
    for kind in kinds:
        sweep = SWEEPS.get(kind)
        if sweep is None:
            continue
        for due in sweep.find(now):
            if due.due_moment < before:
                content_type = ContentType.objects.get_for_model(due.subject)
                keys.add((kind, content_type.pk, due.subject.pk, due.due_moment))
    return keys


def prune_sent_reminders(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Delete the sent reminders that can no longer be sent again (see the module); returns
    how many were deleted. Deletes in batches by pk, each batch its own statement."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS)
    old = Reminder.objects.filter(sent_at__lt=cutoff, due_moment__lt=cutoff)
    kinds = set(old.order_by().values_list("kind", flat=True).distinct())
    if not kinds:
        return 0
    keep = _still_due(kinds, now=now, before=cutoff)
    deleted = 0
    last_pk = 0
    while True:
        rows = list(
            old.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "kind", "content_type_id", "object_id", "due_moment")[:batch_size]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        pks = [pk for pk, *key in rows if tuple(key) not in keep]
        if pks:
            __, per_model = old.filter(pk__in=pks).delete()
            deleted += per_model.get(Reminder._meta.label, 0)
        if len(rows) < batch_size:
            break
    return deleted
