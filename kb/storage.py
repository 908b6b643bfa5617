from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files with far-future cache headers (whitenoise).

    jQuery UI's own theme CSS (from the XStatic package) refers to images by paths that do not
    exist in the package, which would stop post-processing; the admin only uses jQuery UI's
    script, so those stylesheets are left out of hashing.
    """

    def post_process(self, paths, dry_run=False, **options):
        kept = {
            path: value
            for path, value in paths.items()
            if not (path.startswith("jquery-ui/") and path.endswith(".css"))
        }
        yield from super().post_process(kept, dry_run, **options)

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
