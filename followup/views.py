"""Progress reports: starting one, following it while it is built, and downloading it."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from areas.models import Gebiedsteam
from followup import reports
from followup.forms import ReportForm
from followup.models import Report
from followup.services import reports as services
from web.http import render_page_or_fragment


def _start(request: AuthenticatedHttpRequest, gebiedsteam: Gebiedsteam | None) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "gebiedsteam": gebiedsteam, "action_url": request.path}
        return render(request, "followup/report_form.html", context, status=HTTPStatus.BAD_REQUEST)
    report = services.request_report(
        gebiedsteam=gebiedsteam,
        period=form.cleaned_data["period"],
        day=form.cleaned_data["start"],
        requested_by=request.user,
    )
    return redirect(report)


@require_POST
@login_required
def report_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam = get_object_or_404(Gebiedsteam.objects.visible_to(request.user), slug=slug)
    if not request.user.has_perm("followup.add_report", gebiedsteam):
        raise PermissionDenied
    return _start(request, gebiedsteam)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def city_report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("followup.add_city_report"):
        raise PermissionDenied
    if request.method == "POST":
        return _start(request, None)
    context = {
        "form": ReportForm(),
        "gebiedsteam": None,
        "action_url": reverse("followup:city-report-create"),
        "recent": Report.objects.visible_to(request.user).city_wide()[:10],
    }
    return render(request, "followup/report_form.html", context)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("gebiedsteam"), pk=pk
    )
    context = {"report": report, "title": reports.report_title(report)}
    return render_page_or_fragment(request, "followup/report_detail.html", "progress", context)


@require_safe
@login_required
def report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("gebiedsteam"), pk=pk
    )
    if report.status != Report.Status.DONE:
        raise Http404("This report is not ready.")
    render_report, content_type = reports.RENDERERS[fmt]
    response = HttpResponse(render_report(report), content_type=content_type)
    name = report.gebiedsteam.slug if report.gebiedsteam else "tilburg"
    filename = f"rapportage-{name}-{report.period}-{report.start:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
