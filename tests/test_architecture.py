"""The walls inside the code (issue 13): dependencies point one way, the page cache knows
nothing of guides, tag names and the snapshot have one definition, publishing reads a guide once.
A newcomer who breaks one of these learns it here, not from a stale page in production."""

import ast
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import publishing
from procedures.models import Procedure
from procedures.publishing import tags
from procedures.publishing.snapshot import GuideSnapshot, checked
from tests.factories import full_guide

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["kb", "procedures"]


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The project modules `path` imports (at import time, or anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = {_module(path): path for path in _sources()}
    return {
        name: {
            imported for imported in _imports(path, top_level_only=top_level_only)
            if imported in modules and imported != name
        }
        for name, path in modules.items()
    }  # fmt: skip


def test_no_module_imports_itself_back_through_others():
    graph = _graph(top_level_only=True)
    # A package's __init__ re-exporting its modules is not a way back up: leave those edges.
    edges = {
        name: {target for target in targets if not name.startswith(target + ".")}
        for name, targets in graph.items()
    }
    state: dict[str, str] = {}
    cycles = []

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_project_package_knows_the_domain_only_where_it_assembles_the_site():
    """kb/ is the site (settings, urls, site views, sitemaps) and the page cache; only the first
    three may name the domain. The page cache learns go-live times through a hook."""
    allowed = {"kb.urls", "kb.views", "kb.sitemaps"}
    offenders = {
        name: sorted(target for target in targets if target.startswith("procedures"))
        for name, targets in _graph(top_level_only=False).items()
        if name.startswith("kb") and name not in allowed
    }
    assert {name: targets for name, targets in offenders.items() if targets} == {}


def test_function_local_imports_are_only_for_start_up():
    """Imports inside functions exist where Django requires them (AppConfig.ready, code run
    before set-up, optional tools), never to dodge a cycle."""
    allowed = {"procedures.apps", "procedures.management.render_worker", "kb.settings"}
    local = {}
    for path in _sources():
        name = _module(path)
        if name in allowed:
            continue
        top = _imports(path, top_level_only=True)
        anywhere = _imports(path, top_level_only=False)
        if anywhere - top:
            local[name] = sorted(anywhere - top)
    assert local == {}


CACHE_CALLS = {"tag", "tagged", "bump", "current_versions", "versions"}


def test_cache_tag_names_are_spelt_only_in_the_tag_vocabulary():
    """No page-cache call names a tag with a string of its own: a misspelt one would leave pages
    stale with no error."""
    spelt = []
    for path in _sources():
        if path.name == "tags.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            arguments = [*node.args]
            arguments += [
                item for arg in node.args if isinstance(arg, ast.List) for item in arg.elts
            ]
            if name in CACHE_CALLS and any(
                isinstance(arg, ast.JoinedStr)
                or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
                for arg in arguments
            ):
                spelt.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert spelt == []


def test_a_misspelt_tag_is_an_error_not_a_stale_page():
    with pytest.raises(AttributeError):
        tags.guid(1)
    with pytest.raises(ValueError):
        tags.guide("12; drop")


@pytest.mark.django_db
def test_publishing_reads_the_guide_tree_once():
    """The tree (a guide's rows, read by guide) is read for the checks and that same tree is
    frozen and recorded in the history. (The history's translation states read the recorded rows
    by id once more: that is the history's bookkeeping, not a second tree.)"""
    guide = full_guide(status=Procedure.Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        publishing.procedure_publish(procedure=guide)
    step_reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and re.search(
            r'FROM "procedures_step" WHERE "procedures_step"."procedure_id"', query["sql"]
        )
    ]
    assert len(step_reads) == 1, step_reads


@pytest.mark.django_db
def test_a_publication_stores_a_complete_typed_snapshot():
    publication = publishing.publication_create(procedure=full_guide())
    content = publication.page.content
    assert checked(content) is content
    assert set(content) == set(GuideSnapshot.__annotations__)


def test_a_snapshot_built_by_hand_cannot_drift_from_the_definition():
    with pytest.raises(ValueError, match="missing.*'changes'"):
        checked({key: None for key in GuideSnapshot.__annotations__ if key != "changes"})
    with pytest.raises(ValueError, match="unknown.*'extra'"):
        checked({**dict.fromkeys(GuideSnapshot.__annotations__), "extra": 1})


def test_no_source_file_is_too_long_to_hold_in_one_s_head():
    """About 400 lines at most (issue 13): a longer module holds more than one job."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in [*_sources(), *sorted((ROOT / "bench").glob("*.py"))]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert long == {}
