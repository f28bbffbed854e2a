"""Every view of the portal, with what guards it: the matrix's list of views.

Per URL name: the objects of the world it is requested with (`targets`, names in
tests/permissions/world.py), how its URL's kwargs are filled from each object (attribute
paths; `=text` is a literal), which action of docs/roles.md guards GET and POST (None: the
method is not allowed, 405), whether it asks anonymous visitors to sign in, and what it
answers someone who is allowed (`ok`: 200 for a page, 400 for the empty form a POST sends,
302 for a POST that needs no data; `ok_when` per state of the object).

Whether a role is allowed is never written here: it comes from docs/roles.md and the scope
of the object. A URL name missing here fails the matrix, so a new view cannot go unchecked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core import signing

from api.datasets import SUMMARIES as API_LISTS

GET, POST = "GET", "POST"
ANYWHERE = ("anywhere",)

AGENDAS = ("agenda_A", "draft_agenda_A", "agenda_B", "draft_agenda_B")
ITEMS = ("item_A", "draft_item_A", "item_B", "draft_item_B")
PLANS = ("plan_A", "draft_plan_A", "plan_B", "draft_plan_B")
ACTIONS = tuple(
    f"{prefix}action_{owner}_{g}"
    for g in ("A", "B")
    for prefix in ("", "draft_")
    for owner in ("partner", "municipal")
)
TEAMS = ("team_A", "team_B")
TEAM_PAGES = ("team_page_A", "team_page_B")
PROPOSALS = (
    *(
        f"{state}_proposal_{g}"
        for g in ("A", "B")
        for state in ("draft", "open", "council", "consideration", "decided")
    ),
    "crossing_proposal_B",  # of B, council-only, covering the wijk of A too
)
COMMENTS = tuple(
    f"comment_{state}_{g}" for g in ("A", "B") for state in ("open", "council", "decided")
)
COMMENT_REPORTS = tuple(name.replace("comment_", "report_") for name in COMMENTS)
ADVICE = (
    "advice_A",
    "submitted_advice_A",
    "advice_B",
    "submitted_advice_B",
    "crossing_advice_B",  # of the wijkraad of A, on a council-only proposal of B
)
ORGANISATIONS = ("partner_organisation", "municipality_organisation")
MEETINGS = ("meeting_A", "closed_meeting_A", "meeting_B", "closed_meeting_B")
REPORTS = ("report_A", "report_B", "city_report")
FOLLOWABLE = (
    "wijk_A",
    "agenda_A",
    "draft_agenda_A",
    "draft_agenda_B",
    "open_proposal_B",
    "council_proposal_A",
    "council_proposal_B",
    "draft_proposal_A",
    "received_initiative_A",
    "conversation_initiative_B",
)
INITIATIVES = tuple(
    f"{state}_initiative_{g}"
    for g in ("A", "B")
    for state in ("received", "conversation", "supported")
)
# The notification of the role requesting it (anonymous visitors ask for the resident's).
OWN_NOTIFICATION = ("own_notification",)


class _SignerOfLongAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 10 * 365 * 24 * 60 * 60)


def expired_link(salt: str) -> str:
    """A confirmation token the portal made ten years ago: every role gets its clear "this
    link has expired" page (410), which the no-5xx test then fuzzes."""
    return _SignerOfLongAgo(salt=salt).sign_object({"u": 1, "e": "matrix@example.org"})


PAGE = {GET: 200}
FORM = {GET: 200, POST: 400}


@dataclass(frozen=True)
class View:
    get: str | None = "public"  # the action that guards GET; None: 405
    post: str | None = None  # the action that guards POST; None: 405
    targets: tuple[str, ...] = ANYWHERE
    kwargs: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    login: bool = False  # anonymous visitors are sent to sign in (login_required)
    login_post: bool = False  # only a POST asks them to sign in
    login_first: bool = False  # login_required is checked before the method
    denied: int = 403  # the answer to a role that can see the object but not act on it
    ok: dict[str, int] = field(default_factory=lambda: dict(FORM))
    ok_when: dict[str, dict[str, int]] = field(default_factory=dict)  # per target kind
    ok_signed_in: dict[str, int] = field(default_factory=dict)  # for anyone signed in
    htmx: bool = False  # requested as htmx does (HX-Request), for the fragment it swaps in

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(m for m, action in ((GET, self.get), (POST, self.post)) if action)


SLUG = {"slug": "slug"}
PK = {"pk": "pk"}


def page(**kwargs: object) -> View:
    """A GET-only page everyone may read (what it shows follows the object's `read`)."""
    return View(**{"ok": dict(PAGE), **kwargs})  # type: ignore[arg-type]


def edit(action: str, targets: tuple[str, ...], kwargs: dict[str, str], **extra: object) -> View:
    """A login-only page with a form: GET shows it, an empty POST is refused with 400."""
    return View(get=action, post=action, targets=targets, kwargs=kwargs, login=True, **extra)  # type: ignore[arg-type]


def post_only(
    action: str, targets: tuple[str, ...], kwargs: dict[str, str], **extra: object
) -> View:
    """A login-only POST endpoint: GET is not allowed (405), an empty POST is refused."""
    return View(get=None, post=action, targets=targets, kwargs=kwargs, login=True, **extra)  # type: ignore[arg-type]


VIEWS: dict[str, View] = {
    # ---- areas -------------------------------------------------------------------------
    "areas:wijk-list": page(),
    # A point in a wijk: sent on to the wijk's page. Without a point: a 400.
    "areas:wijk-locate": page(query={"lon": "=5.05", "lat": "=51.55"}, ok={GET: 302}),
    "areas:address-find": page(),
    "areas:address-suggest": page(),
    "areas:address-point": page(ok={GET: 400}),
    "areas:gebieden-geojson": page(),
    "areas:wijken-geojson": page(),
    "areas:buurten-geojson": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG),
    "areas:key-figures": page(),
    "areas:key-figures-geojson": page(),
    # The team page (members, invitations) hides itself (404) from whoever may not read it,
    # and inviting starts from it.
    "areas:team-detail": View(
        targets=TEAM_PAGES, kwargs=SLUG, login=True, login_first=True, ok=dict(PAGE)
    ),
    "areas:team-invite": post_only("invite_team", TEAM_PAGES, SLUG, login_first=True),
    "areas:werkplek-create": edit("edit_werkplek", TEAMS, SLUG, login_first=True),
    "areas:werkplek-edit": edit(
        "edit_werkplek",
        ("werkplek_A", "werkplek_B"),
        {"slug": "gebiedsteam.slug", "pk": "pk"},
        login_first=True,
    ),
    "areas:wijkraad-invite": edit(
        "invite_council", ("wijkraad_A", "wijkraad_B"), SLUG, login_first=True
    ),
    # ---- pacts -------------------------------------------------------------------------
    "pacts:pact-list": page(),
    "pacts:pact-detail": page(
        targets=("pact_A", "draft_pact_A", "pact_B", "draft_pact_B"), kwargs=SLUG
    ),
    "pacts:alliance-detail": page(targets=("alliance",), kwargs=SLUG),
    "pacts:organisation-list": page(),
    # The organisation's staff: granted and revoked by its staff administrator.
    "pacts:organisation-staff": View(
        get="manage_staff",
        targets=ORGANISATIONS,
        kwargs=SLUG,
        login=True,
        login_first=True,
        ok=dict(PAGE),
    ),
    "pacts:organisation-staff-invite": post_only(
        "manage_staff", ORGANISATIONS, SLUG, login_first=True
    ),
    # GET asks to confirm; the POST needs no data and revokes.
    "pacts:organisation-staff-revoke": edit(
        "manage_staff",
        ("staff_membership_partner", "staff_membership_municipality"),
        {"slug": "organisation.slug", "pk": "pk"},
        ok={GET: 200, POST: 302},
    ),
    "agendas:wijkagenda-list": page(),
    "agendas:wijkagenda-create": edit("edit_agenda", ANYWHERE, {}),
    "agendas:wijkagenda-edit": edit("edit_agenda", AGENDAS, SLUG),
    # The change summary is optional: an empty POST publishes (rolled back) and redirects.
    "agendas:wijkagenda-publish": edit("publish", AGENDAS, SLUG, ok={GET: 200, POST: 302}),
    "agendas:wijkagenda-items": edit("edit_agenda", AGENDAS, SLUG),
    "agendas:agendaitem-edit": edit("edit_agenda", ITEMS, {"slug": "wijkagenda.slug", "pk": "pk"}),
    # Without a direction the move is refused with a message, back on the items page.
    "agendas:agendaitem-move": post_only(
        "edit_agenda", ITEMS, {"slug": "wijkagenda.slug", "pk": "pk"}, ok={POST: 302}
    ),
    "agendas:agendaitem-delete": edit(
        "edit_agenda", ITEMS, {"slug": "wijkagenda.slug", "pk": "pk"}
    ),
    "agendas:vision-edit": edit("edit_agenda", TEAMS, SLUG),
    # Without a revision: "nothing to publish", back on the vision page.
    "agendas:vision-publish": post_only("publish", TEAMS, SLUG, ok={POST: 302}),
    "agendas:action-detail": page(targets=ACTIONS, kwargs=PK),
    "agendas:plan-create": edit("edit_agenda", AGENDAS, SLUG),
    "agendas:plan-actions": page(targets=PLANS, kwargs=PK),
    "agendas:plan-edit": edit("edit_agenda", PLANS, PK),
    "agendas:action-create": edit("edit_agenda", PLANS, PK),
    "agendas:action-edit": edit("edit_agenda", ACTIONS, PK),
    "agendas:action-status": edit("edit_agenda", ACTIONS, PK),
    "agendas:progress-create": edit("report_progress", ACTIONS, PK),
    # ---- participation -----------------------------------------------------------------
    "participation:proposal-list": page(),
    # The gebied is asked first of whoever works in several (the administrator): the form
    # of one gebied is `?gebied=<slug>`.
    "participation:proposal-create": edit("draft_proposal", TEAMS, {}, query={"gebied": "slug"}),
    "participation:proposal-detail": page(targets=PROPOSALS, kwargs=SLUG),
    # Only a draft is changed; any other state is refused with 400.
    "participation:proposal-edit": edit(
        "draft_proposal",
        PROPOSALS,
        SLUG,
        ok_when={
            kind: {GET: 400, POST: 400} for kind in ("open", "council", "consideration", "decided")
        },
    ),
    "participation:proposal-open": post_only(
        "decide_proposal", PROPOSALS, SLUG, ok_when={"draft": {POST: 302}}
    ),
    # Only once the comment period is over; these are all refused with 400.
    "participation:proposal-consider": post_only("decide_proposal", PROPOSALS, SLUG),
    "participation:proposal-withdraw": post_only(
        "decide_proposal",
        PROPOSALS,
        SLUG,
        ok_when={kind: {POST: 302} for kind in ("draft", "open", "council", "consideration")},
    ),
    "participation:proposal-decide": edit(
        "decide_proposal",
        PROPOSALS,
        SLUG,
        ok={GET: 400, POST: 400},
        ok_when={"consideration": {GET: 200, POST: 400}},
    ),
    "participation:advice-respond": edit(
        "decide_proposal",
        ADVICE,
        PK,
        ok={GET: 400, POST: 400},
        ok_when={"submitted": {GET: 200, POST: 400}},
    ),
    # A batch of the thread (htmx; without it, GET goes to the proposal's page); POST is a
    # new comment.
    "participation:comment-thread": View(
        get="public",
        post="comment",
        targets=PROPOSALS,
        kwargs=SLUG,
        login_post=True,
        htmx=True,
    ),
    # A comment with all its replies: read like the proposal it is on.
    "participation:comment-replies": page(targets=COMMENTS, kwargs=PK),
    "participation:comment-edit": edit("change_comment", COMMENTS, PK),
    "participation:comment-delete": post_only("change_comment", COMMENTS, PK, ok={POST: 302}),
    "participation:advice-submit": edit("give_advice", ADVICE, PK),
    "participation:comment-report": edit("report_comment", COMMENTS, PK),
    "participation:comment-moderation": View(
        get="moderate", targets=COMMENTS, kwargs=PK, login=True, ok=dict(PAGE)
    ),
    # A comment that is not hidden: the notice, back on its moderation page.
    "participation:comment-restore": post_only("moderate", COMMENTS, PK, ok={POST: 302}),
    "participation:moderation-queue": View(get="moderate", login=True, ok=dict(PAGE)),
    "participation:report-detail": View(
        get="moderate", targets=COMMENT_REPORTS, kwargs=PK, login=True, ok=dict(PAGE)
    ),
    "participation:report-hide": post_only("moderate", COMMENT_REPORTS, PK),
    # Dismissing needs no reason.
    "participation:report-dismiss": post_only("moderate", COMMENT_REPORTS, PK, ok={POST: 302}),
    # Residents' initiatives: anyone signed in submits one; the gebied's core team answers a
    # received one or one in conversation (a supported one is final: 400).
    "participation:initiative-create": edit("submit_initiative", ANYWHERE, {}),
    "participation:initiative-detail": page(targets=INITIATIVES, kwargs=PK),
    "participation:initiative-answer": edit(
        "answer_initiative",
        INITIATIVES,
        PK,
        ok_when={"supported": {GET: 400, POST: 400}},
    ),
    "participation:wijk-initiatives": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG),
    # ---- meetings ----------------------------------------------------------------------
    "meetings:meeting-create": edit("plan_meeting", TEAMS, SLUG),
    "meetings:meeting-edit": edit("plan_meeting", MEETINGS, PK),
    # A closed meeting's page and file follow its `read`; the lists show what the role reads,
    # the feeds only public meetings, for everyone.
    "meetings:meeting-detail": page(targets=MEETINGS, kwargs=PK),
    "meetings:meeting-ics": page(targets=MEETINGS, kwargs=PK),
    # The matrix's meetings take no sign-ups: whoever may sign up is told so (400); a
    # sign-off of someone who had not signed up goes back to the meeting.
    "meetings:meeting-sign-up": post_only("sign_up_meeting", MEETINGS, PK, ok={POST: 400}),
    "meetings:meeting-sign-off": post_only("sign_up_meeting", MEETINGS, PK, ok={POST: 302}),
    "meetings:wijk-meetings": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG),
    "meetings:wijk-calendar": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG),
    "meetings:gebied-meetings": page(targets=TEAMS, kwargs=SLUG),
    "meetings:gebied-calendar": page(targets=TEAMS, kwargs=SLUG),
    # ---- followup ----------------------------------------------------------------------
    "followup:report-create": post_only("start_report", TEAMS, SLUG),
    "followup:city-report-create": edit("city_report", ANYWHERE, {}),
    **{
        f"followup:{name}": View(targets=REPORTS, kwargs=PK, login=True, ok=dict(PAGE))
        for name in ("report-detail", "report-html", "report-csv", "report-xlsx", "report-pdf")
    },
    # ---- portal ------------------------------------------------------------------------
    "portal:home": page(),
    "portal:gebiedsteam-detail": page(targets=TEAMS, kwargs=SLUG),
    "portal:wijk-detail": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG),
    # The search, for a word every object of the matrix's world has in its title or text.
    "portal:search": page(query={"q": "=wijk"}),
    # The Atom feeds of a wijk and a gebied: public things only, for every role.
    **{
        f"portal:{feed}-wijk": page(targets=("wijk_A", "wijk_B"), kwargs=SLUG)
        for feed in ("feed-proposals", "feed-decisions", "feed-agenda-changes")
    },
    **{
        f"portal:{feed}-gebied": page(targets=TEAMS, kwargs=SLUG)
        for feed in ("feed-proposals", "feed-decisions", "feed-agenda-changes")
    },
    "portal:wijkraad-list": page(),
    "portal:wijkraad-detail": page(targets=("wijkraad_A", "wijkraad_B"), kwargs=SLUG),
    "portal:wijkagenda-detail": page(targets=AGENDAS, kwargs=SLUG),
    "portal:wijkagenda-changelog": page(targets=AGENDAS, kwargs=SLUG),
    "portal:city-map": page(),
    "portal:located-geojson": page(),
    # Following names its subject in the body: one the role cannot read is a 404.
    **{
        f"portal:{name}": post_only(
            "signed_in",
            FOLLOWABLE,
            {},
            data={"type": "_meta.model_name", "id": "pk"},
            ok={POST: 302},
        )
        for name in ("follow", "unfollow")
    },
    "portal:workspace": View(get="signed_in", login=True, ok=dict(PAGE)),
    # Signing up: someone signed in is sent on to their account page, whatever they ask.
    "portal:sign-up": View(post="public", ok_signed_in={GET: 302, POST: 302}),
    "portal:my-account": edit("signed_in", ANYWHERE, {}),
    "portal:organisation-detail": page(
        targets=("partner_organisation", "municipality_organisation"), kwargs=SLUG
    ),
    # ---- accounts ----------------------------------------------------------------------
    # Someone signed in is sent on from the sign-in page, whatever they ask.
    "accounts:login": View(post="public", ok_signed_in={GET: 302, POST: 302}),
    "accounts:logout": View(get=None, post="public", ok={POST: 302}),
    "accounts:password-reset": View(post="public"),
    "accounts:password-reset-done": page(),
    "accounts:password-reset-confirm": View(
        post="public", kwargs={"uidb64": "=MQ", "token": "=ongeldig"}, ok={GET: 410, POST: 410}
    ),
    "accounts:password-reset-complete": page(),
    "accounts:invitation-accept": View(
        post="public", targets=("invitation",), kwargs={"token": "=matrix-invitation-token"}
    ),
    "accounts:notification-list": View(get="signed_in", login=True, ok=dict(PAGE)),
    "accounts:notification-settings": edit("signed_in", ANYWHERE, {}),
    "accounts:notification-read-all": post_only("signed_in", ANYWHERE, {}, ok={POST: 302}),
    "accounts:notification-open": View(
        get="signed_in", targets=OWN_NOTIFICATION, kwargs=PK, login=True, ok={GET: 302}
    ),
    "accounts:notification-read": post_only("signed_in", OWN_NOTIFICATION, PK, ok={POST: 302}),
    "accounts:sign-up-done": page(),
    "accounts:resend-confirmation": View(post="public"),
    # An expired link: the same clear page (410 Gone) for everyone, GET and POST.
    **{
        f"accounts:{name}": View(
            post="public", kwargs={"token": f"={expired_link(salt)}"}, ok={GET: 410, POST: 410}
        )
        for name, salt in (
            ("confirm-email", "accounts.residents.confirm-sign-up"),
            ("confirm-new-email", "accounts.residents.confirm-new-email"),
        )
    },
    "accounts:change-email": edit("signed_in", ANYWHERE, {}),
    "accounts:delete-account": edit("delete_own_account", ANYWHERE, {}),
    # ---- the site ----------------------------------------------------------------------
    "health": page(),
    "accessibility": page(),
    "privacy": page(),
    "favicon": page(ok={GET: 302}),
    # The language switch: a POST from anyone, back to the page it was on.
    "set-language": View(
        get=None, post="public", ok={POST: 302}, data={"language": "=en", "next": "=/"}
    ),
    # The open-data page, its catalogue and a download of the world's build.
    "api:open-data": page(),
    "api:open-data-catalogue": page(),
    "api:open-data-file": page(kwargs={"name": "=actions.csv"}),
    "robots-txt": page(),
    "security-txt": page(),
    "sitemap": page(),
    # The proposals' sitemap: public proposals only, for every role.
    "sitemap-section": page(kwargs={"section": "=voorstellen"}),
    # ---- the read API (api/): anonymous for everyone, so a draft or a council-only
    # proposal is 404 even to those who may read it on its page ----------------------------
    **{f"api:{name}-list": page() for name in API_LISTS},
    "api:wijkagendas-detail": page(targets=AGENDAS, kwargs=SLUG, ok_when={"draft": {GET: 404}}),
    "api:proposals-detail": page(
        targets=PROPOSALS, kwargs=SLUG, ok_when={"draft": {GET: 404}, "council": {GET: 404}}
    ),
    "api:schema": page(),
    "api:docs": page(),
    "api:root": page(ok={GET: 302}),
}
