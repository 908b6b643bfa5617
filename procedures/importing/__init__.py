"""Content in and out in bulk: the demo knowledge base's YAML importer (demo.py) and what it
last wrote, so it never overwrites editors (state.py); the whole knowledge base as JSON lines
for moving it between databases (transfer.py)."""
