from django import template
from django.template.defaultfilters import truncatechars

from kb.markdown import markdown_for_readers
from procedures.translations.reading import Text, field_text, marked, plain

register = template.Library()


@register.filter(name="marked")
def marked_filter(text):
    """A guide text, wrapped with its real language when it stands in for the reader's."""
    return marked(text)


@register.filter
def marked_markdown(text):
    return marked(text, markdown_for_readers(text))


@register.filter(name="field")
def field_filter(obj, name):
    """A translated field of a row as readers see it (`{{ carrier|field:"name"|marked }}`): in
    the reader's language, else converted or in a fallback language, and knowing which."""
    return field_text(obj, name)


@register.filter
def shorten(text, length):
    """`truncatechars` that keeps the language a text is in."""
    short = truncatechars(text, length)
    return text.derive(short) if isinstance(text, Text) else short


@register.filter(name="plain")
def plain_filter(text):
    """A text for where no markup can go (<title>, attributes), saying its language."""
    return plain(text)
