from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files with far-future cache headers (whitenoise), whose
    addresses are worked out once per name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        """The hashed address of a static file, worked out once per name: the manifest cannot
        change while a process runs, and a page asks for about ten (a tenth of a millisecond
        each, 3 % of a list page)."""
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            address = self._urls[name] = super().url(name)
            return address
