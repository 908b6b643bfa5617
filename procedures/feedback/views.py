"""Readers' feedback pages.

How the form stays CSRF-protected although guide pages are cached for everyone: a guide page
holds no token and no form that writes, only links ("Yes", "No", "Report a problem with this
step") to a small feedback page that is never cached. That page sets Django's CSRF cookie and
puts the token in its form; the POST is checked by the CSRF middleware as usual (cookie, token
and Origin). It works without JavaScript, and guide pages stay free of cookies and sessions.
Submissions are limited per client address with the cache, under a hashed key that expires
within the hour; the address itself is never stored."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from kb.client_ip import client_ip
from procedures.feedback.forms import FeedbackForm
from procedures.feedback.models import Feedback
from procedures.feedback.services import feedback_record
from procedures.models import Publication

# At most this many submissions per client address per hour (settings can lower or raise it).
DEFAULT_FEEDBACK_PER_HOUR = 10
RATE_WINDOW_SECONDS = 60 * 60


def _rate_key(request) -> str:
    # Hashed with the secret key: the cache never holds an address, even for the hour it counts.
    address = client_ip(request) or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|feedback|{address}".encode()).hexdigest()
    return f"kb:feedback-rate:{digest[:32]}"


def _over_limit(request) -> bool:
    """Count one submission from this client; True when it is over the hourly limit."""
    limit = getattr(settings, "KB_FEEDBACK_PER_HOUR", DEFAULT_FEEDBACK_PER_HOUR)
    key = _rate_key(request)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def _live_guide(slug: str) -> Publication:
    publication = (
        Publication.objects.live().filter(slug=slug).select_related("page").order_by("-live_from")
    ).first()
    if publication is None:
        raise Http404("No such guide")
    return publication


def _step_title(publication: Publication, step: str) -> str:
    """The title of step `step` ("website-2": the second step done on the website) in the
    reader's language, or raise Http404 when the guide has no such step."""
    channel, _dash, number = step.rpartition("-")
    if not number.isdigit():
        raise Http404("No such step")
    steps = [s for s in publication.page.content.get("steps", []) if s.get("channel") == channel]
    index = int(number) - 1
    if not 0 <= index < len(steps):
        raise Http404("No such step")
    title = steps[index].get("title") or {}
    language = get_language()
    return str(title.get(language) or next((v for k, v in title.items() if k != "auto"), ""))


KINDS = {
    "helpful": Feedback.Kind.HELPFUL,
    "not-helpful": Feedback.Kind.NOT_HELPFUL,
    "problem": Feedback.Kind.PROBLEM,
}


@never_cache
@csrf_protect
def guide_feedback(request, slug, kind, step=""):
    """GET: the feedback form for a live guide (one kind, and for a problem maybe one step).
    POST: record it, or show the form again with what to fix (400), or say to wait (429)."""
    if kind not in KINDS:
        raise Http404("No such kind of feedback")
    publication = _live_guide(slug)
    step_title = _step_title(publication, step) if step else ""
    form = FeedbackForm(request.POST if request.method == "POST" else None, kind=KINDS[kind])
    context = {"guide": publication, "kind": kind, "step": step, "step_title": step_title}
    if request.method == "POST":
        if _over_limit(request):
            return render(
                request, "procedures/feedback.html", {**context, "limited": True}, status=429
            )
        if form.is_valid():
            if not form.is_robot:
                feedback_record(
                    procedure=publication.procedure,
                    kind=KINDS[kind],
                    language=get_language(),
                    reason=form.cleaned_data.get("reason", ""),
                    comment=form.cleaned_data["comment"],
                    step=step,
                    step_title=step_title,
                )
            return render(request, "procedures/feedback.html", {**context, "thanks": True})
        return render(request, "procedures/feedback.html", {**context, "form": form}, status=400)
    return render(request, "procedures/feedback.html", {**context, "form": form})


# Readers' pages answer only GET and HEAD (kb/middleware.py) except views that say otherwise.
guide_feedback.accepts_post = True
