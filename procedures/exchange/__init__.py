"""Translation exchange files (issue 18): the texts of guides, carriers, regions and documents
for one target language as XLIFF 2.0, for translators' own tools (CAT tools), and their import
back. See `units` (what a file holds), `xliff` (the file format) and `services` (export and
import with their rules)."""
