"""Workflows of the pacts app."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)
