"""Publishing: freezing a guide into a publication readers see. A publication stores a snapshot
of the guide (`snapshot.py`, a typed and versioned structure) and its page rendered per language
(`rendering.py`, the one place that decides between the stored rendering and a live one); the
page is read back through `pages.py`. Publishing tells the page cache what changed with the tag
names of `tags.py`; `refresh.py` keeps live pages in step with catalogue edits.

Callers use the package: `publishing.procedure_publish(...)`. Depends on editorial (its checks
and history) and translations; the public pages depend on it.
"""

from procedures.publishing.publish import (
    procedure_archive,
    procedure_publish,
    procedure_unpublish,
    publication_create,
    publication_render,
    publication_rendered_fields,
    publication_values,
    search_text,
)

__all__ = [
    "procedure_archive", "procedure_publish", "procedure_unpublish", "publication_create",
    "publication_render", "publication_rendered_fields", "publication_values", "search_text",
]  # fmt: skip
