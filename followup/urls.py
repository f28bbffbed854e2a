from __future__ import annotations

from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    # Reports ("stad" comes before a report's own number)
    path("gebieden/<slug:slug>/rapportages/", views.report_create, name="report-create"),
    path("rapportages/stad/", views.city_report_create, name="city-report-create"),
    path("rapportages/<int:pk>/", views.report_detail, name="report-detail"),
    *(
        path(
            f"rapportages/<int:pk>.{fmt}",
            views.report_download,
            {"fmt": fmt},
            name=f"report-{fmt}",
        )
        for fmt in ("html", "csv", "xlsx", "pdf")
    ),
]
