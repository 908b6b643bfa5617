"""The readers' site: the reads each public page makes (selectors.py), the in-memory index
behind lists, filters and counts (listing.py), the guide filters (filters.py), the views and the
Atom feeds. Reads publications only, never the editors' working copies (except staff previews)."""
