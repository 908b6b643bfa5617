"""The read-only public API (issue 18): live guides, regions and carriers as JSON, described by
an OpenAPI 3 schema. Built with django-ninja; wired from kb/urls.py."""
