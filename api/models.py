"""The builds of the open-data downloads (api/opendata.py): each with its files."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OpenDataBuildQuerySet(models.QuerySet["OpenDataBuild"]):
    def served(self) -> OpenDataBuild | None:
        """The newest whole build: the one the downloads page offers."""
        return self.filter(status=OpenDataBuild.Status.DONE).order_by("-finished_at").first()

    def running(self) -> OpenDataBuild | None:
        return self.filter(status=OpenDataBuild.Status.RUNNING).order_by("-started_at").first()


class OpenDataBuild(models.Model):
    """One run of the open-data task: how far it is, and when it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.RUNNING)
    done = models.PositiveIntegerField(_("datasets done"), default=0)
    total = models.PositiveIntegerField(_("datasets"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = OpenDataBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("open-data build")
        verbose_name_plural = _("open-data builds")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class OpenDataFile(models.Model):
    """One download of a build: a dataset in one format, or the ZIP of everything."""

    build = models.ForeignKey(
        OpenDataBuild, verbose_name=_("build"), on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("file name"), max_length=100)
    dataset = models.CharField(_("dataset"), max_length=50, blank=True)
    kind = models.CharField(_("format"), max_length=8)
    rows = models.PositiveIntegerField(_("rows"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("open-data file")
        verbose_name_plural = _("open-data files")
        constraints = [
            models.UniqueConstraint(fields=["build", "name"], name="api_opendatafile_once")
        ]

    def __str__(self) -> str:
        return self.name
