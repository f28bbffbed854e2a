"""The shipped Tilburg demo: facts (`tilburg`), demo content (`content`) and the loader."""

from __future__ import annotations

from portal.demo.loader import DemoLoadError, LoadReport, load_tilburg

__all__ = ["DemoLoadError", "LoadReport", "load_tilburg"]
