from django.conf import settings

from kb.languages import html_lang


def site(request):
    return {"html_lang": html_lang(), "site_name": settings.SITE_NAME}
