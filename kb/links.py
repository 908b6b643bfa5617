"""Which stored addresses may become links on a reader's page.

Addresses reach the database from the admin, imports, a shell or a future API; a model's
URLField only checks them when a form or `full_clean()` runs. A `javascript:` or `data:` address
shown as a link runs code in the reader's browser, so every link made from a stored address goes
through `web_url()`, and imports refuse anything else with `is_web_url()`.
"""

from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str | None) -> bool:
    """True when `url` is an absolute http(s) address with a host, e.g. "https://ctm.net/".

    Takes any value (None, "", text); never raises. Browsers ignore leading spaces and control
    characters and tabs or newlines inside a scheme ("java\\tscript:"), so those are refused
    rather than parsed the way a browser might not.
    """
    if not isinstance(url, str) or url != url.strip() or any(ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def web_url(url: str | None) -> str:
    """`url` if it may be a link (`is_web_url`), else "" (templates then show no link)."""
    return url if is_web_url(url) else ""
