from django import template

from kb.markdown import markdown_for_readers
from procedures.snapshots import marked

register = template.Library()


@register.filter(name="marked")
def marked_filter(text):
    """A guide text, wrapped with its real language when it stands in for the reader's."""
    return marked(text)


@register.filter
def marked_markdown(text):
    return marked(text, markdown_for_readers(text))
