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
