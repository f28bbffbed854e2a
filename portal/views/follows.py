"""Following a wijk, a wijkagenda, a proposal or an initiative: the button on their pages.

Anyone with an account may follow what they can see; `accounts.follows` keeps the follow
for any object, this module knows which four models may be followed and loads the object
through its `visible_to`, so an object the user cannot see is a 404. A plain POST returns
to the page it came from; an htmx POST gets the button back.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.follows import follow, follow_button, unfollow
from accounts.http import AuthenticatedHttpRequest
from agendas.models import Wijkagenda
from areas.models import Wijk
from participation.models import Initiative, Proposal
from portal.forms import FollowForm
from web.http import safe_next

BUTTON_TEMPLATE = "includes/_follow_button.html"
FOLLOWABLE: dict[str, type[Wijk | Wijkagenda | Proposal | Initiative]] = {
    "wijk": Wijk,
    "wijkagenda": Wijkagenda,
    "proposal": Proposal,
    "initiative": Initiative,
}


def _respond(request: AuthenticatedHttpRequest, *, following: bool) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text())
    model = FOLLOWABLE[form.cleaned_data["type"]]
    # mypy joins the three querysets into one of their common base class.
    subject: Wijk | Wijkagenda | Proposal | Initiative = get_object_or_404(  # type: ignore[assignment]
        model.objects.visible_to(request.user), pk=form.cleaned_data["id"]
    )
    if following:
        follow(user=request.user, subject=subject)
    else:
        unfollow(user=request.user, subject=subject)
    # The page to return to: the one the button was on, if it is ours.
    next_url = safe_next(request, subject.get_absolute_url())
    if request.htmx:
        context: dict[str, Any] = {"follow": follow_button(request, subject, next_url=next_url)}
        return render(request, BUTTON_TEMPLATE, context)
    return redirect(next_url)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def follow_subject(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _respond(request, following=True)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def unfollow_subject(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _respond(request, following=False)
