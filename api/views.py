"""The API's endpoints: a list per dataset (api/datasets.py) and a few detail endpoints.

Class-based, unlike the portal's own views (STYLE.md): Django REST framework's generic views
bring the pagination, the throttling and the OpenAPI description that drf-spectacular
reads from them. What they answer is decided elsewhere: what is public by each model's
`visible_to`, the fields by api/serializers.py.

Every answer to a GET carries an ETag (a hash of its body): a client that sends it back in
If-None-Match gets 304 while nothing changed. The page cache (web/pagecache.py) does not
store API answers (`Cache-Control: public, no-cache`): each request reaches the view, so each
counts against the rate limit, and each reads the database as it is now.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from agendas.models import AgendaItem
from agendas.publication import content_for
from api import datasets
from api.datasets import DATASETS, Dataset
from api.filters import PAGE
from api.serializers import ProposalSerializer, WijkagendaDetailSerializer

PAGE_SIZE = 50


class Pages(PageNumberPagination):
    """Fixed pages of PAGE_SIZE; a page that is not a whole number from 1, or lies beyond
    the last, is answered with 400 (page 1 of an empty list is an empty page)."""

    page_size = PAGE_SIZE
    page_query_param = PAGE

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        raw = request.query_params.get(PAGE, "1")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
            raise ValidationError({PAGE: [gettext("A page is a whole number from 1.")]})
        paginator = self.django_paginator_class(queryset, self.page_size)
        number = int(raw)
        if number > paginator.num_pages:
            raise ValidationError(
                {
                    PAGE: [
                        gettext("There is no page %(page)s: the last page is %(last)s.")
                        % {"page": number, "last": paginator.num_pages}
                    ]
                }
            )
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)


class Conditional:
    """An ETag on every answer to GET, and `Cache-Control: public, no-cache` (see above)."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(  # type: ignore[misc]
            request, response, *args, **kwargs
        )
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=response["ETag"], response=response) or (
            response
        )


class ApiView(Conditional, generics.GenericAPIView):
    pagination_class = Pages


class Schema(Conditional, SpectacularAPIView):
    """The OpenAPI description, as JSON only: one answer per address, whatever the Accept
    header asks (no Vary: Accept).

    Generating it takes about 300 ms, and it changes only with the code: each process
    generates it once per language and keeps it. The `lang` parameter of drf-spectacular is
    not taken (the language is the portal's, as on every page).
    """

    renderer_classes = [OpenApiJsonRenderer]
    generated: ClassVar[dict[str, Any]] = {}

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        language = translation.get_language()
        if language not in self.generated:
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            self.generated[language] = generator.get_schema(request=request, public=True)
        return Response(self.generated[language])


class DatasetList(ApiView, generics.ListAPIView):
    dataset: Dataset

    def get_serializer_class(self) -> Any:
        return self.dataset.serializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["geometry"] = getattr(self, "with_geometry", False)
        return context

    def get_queryset(self) -> QuerySet[Any]:
        filters = self.dataset.filters
        form = filters.form(self.request.query_params)
        problems = form.unknown()
        if not form.is_valid():
            problems.update(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        if problems:
            raise ValidationError(problems)
        queryset = filters.apply(self.dataset.rows(), form.cleaned_data)
        self.with_geometry = bool(form.cleaned_data.get("geometry"))
        if self.with_geometry and filters.geometry:
            queryset = filters.geometry(queryset)
        return queryset

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        if page is not None and self.dataset.prepare is not None:
            self.dataset.prepare(page)
        return page


def dataset_list(name: str, summary: str) -> Any:
    """The list view of the dataset `name`, with its filters described in the schema."""
    dataset = DATASETS[name]
    view: Any = type(
        f"{name.title().replace('-', '')}List",
        (DatasetList,),
        {"dataset": dataset, "__doc__": summary},
    )
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            parameters=dataset.filters.parameters(),
            tags=[name],
        )
    )(view).as_view()


@extend_schema_view(get=extend_schema(summary="One published wijkagenda", tags=["wijkagendas"]))
class WijkagendaDetail(ApiView, generics.RetrieveAPIView):
    """One wijkagenda with its summary and items as last published, and its plans."""

    serializer_class = WijkagendaDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return datasets.wijkagenda_detail()

    def get_object(self) -> Any:
        agenda = super().get_object()
        items = list(AgendaItem.objects.for_wijkagenda(agenda).for_list())
        latest = agenda.versions.order_by("-number").first()
        # As on the agenda's page for everyone who may not edit it: the latest version.
        agenda.content = content_for(agenda, items, latest, live=False)
        return agenda


@extend_schema_view(get=extend_schema(summary="One public proposal", tags=["proposals"]))
class ProposalDetail(ApiView, generics.RetrieveAPIView):
    """One public proposal with its decision and what was done with the input."""

    serializer_class = ProposalSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return datasets.proposals()


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation: Swagger UI (served from our own static files, as the
    Content-Security-Policy allows) on /api/schema/, with the essentials readable without
    JavaScript."""
    return render(
        request,
        "api/docs.html",
        {"lists": [(name, reverse(f"api:{name}-list")) for name in DATASETS]},
    )


@require_safe
def api_root(request: HttpRequest) -> HttpResponse:
    return redirect("api:docs")
