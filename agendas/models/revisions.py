"""The revision that every edited object carries, for the stale-edit check.

An edit form carries the revision of the object it was opened on; `agendas.history` saves
only while the object is still at that revision, and raises it by one. The abstract model
lives in accounts, below every app that edits with revisions.
"""

from __future__ import annotations

from accounts.models import Revisioned

__all__ = ["Revisioned"]
