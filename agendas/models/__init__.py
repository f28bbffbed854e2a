"""What is planned and done: wijkagendas, their items, plans, actions, progress and history.

A package of modules (one per part of the domain); every model is importable from here.
"""

from __future__ import annotations

from agendas.models.actions import (
    Action,
    ActionQuerySet,
    Plan,
    PlanQuerySet,
    ProgressUpdate,
    ProgressUpdateQuerySet,
)
from agendas.models.changes import ChangeRecord, ChangeRecordQuerySet
from agendas.models.published import PublishedText, PublishedTextQuerySet
from agendas.models.revisions import Revisioned
from agendas.models.wijkagendas import (
    PUBLIC_STATUSES,
    AgendaItem,
    AgendaItemQuerySet,
    Status,
    Theme,
    Vision,
    VisionQuerySet,
    Wijkagenda,
    WijkagendaQuerySet,
    WijkagendaVersion,
)

__all__ = [
    "PUBLIC_STATUSES",
    "Action",
    "ActionQuerySet",
    "AgendaItem",
    "AgendaItemQuerySet",
    "ChangeRecord",
    "ChangeRecordQuerySet",
    "Plan",
    "PlanQuerySet",
    "PublishedText",
    "PublishedTextQuerySet",
    "Revisioned",
    "ProgressUpdate",
    "ProgressUpdateQuerySet",
    "Status",
    "Theme",
    "Vision",
    "VisionQuerySet",
    "Wijkagenda",
    "WijkagendaQuerySet",
    "WijkagendaVersion",
]
