"""The search page: /zoeken/?q=… (portal.search), grouped by kind or one kind a page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.forms import SearchForm
from portal.search import KINDS_BY_KEY, PAGE_SIZE, hits_of, search_all, using_indexes


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "breadcrumbs": [(_("Search"), None)]}
    if not form.is_bound:
        return render(request, "portal/search.html", context)
    if not form.is_valid():
        return render(request, "portal/search.html", context, status=400)
    text = form.cleaned_data["q"].strip()
    gebied, wijk = form.cleaned_data["gebied"], form.cleaned_data["wijk"]
    context["text"] = text
    if not text:
        context["message"] = _("Type a word or a few words to search for.")
        return render(request, "portal/search.html", context)
    kind = KINDS_BY_KEY.get(form.cleaned_data["soort"])
    with using_indexes():
        if kind is None:
            groups, close = search_all(request.user, text, gebied=gebied, wijk=wijk)
            context.update(groups=groups, close=close)
        else:
            context["kind"] = kind
            for close in (False, True):
                queryset = kind.matching(request.user, text, gebied=gebied, wijk=wijk, close=close)
                if queryset is None:
                    break
                page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
                context.update(page_obj=page_obj, hits=hits_of(page_obj.object_list, kind))
                if page_obj.paginator.count:
                    context["close"] = close
                    break
    return render(request, "portal/search.html", context)
