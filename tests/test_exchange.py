"""Translation exchange files: texts go out to translators as XLIFF 2.0 and come back, written
only where nothing changed meanwhile, recorded in history and in the translation status."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import etree
from reversion.models import Version

from procedures import publishing
from procedures.editorial import events
from procedures.exchange.services import ExchangeError, exchange_export, exchange_import
from procedures.models import (
    Carrier,
    FieldTranslation,
    Procedure,
    Publication,
    Step,
    TranslationStatus,
)
from procedures.translations import status as translation_status

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here (they are translated like every interface text)."""
    with translation.override("en"):
        yield


XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
NS = {"x": XLIFF}


def member_of(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def edit(row, **texts):
    """An editor's save: the texts change and their status is recorded, as in the admin."""
    before = translation_status.texts_of(row)
    for name, value in texts.items():
        setattr(row, name, value)
    row.save()
    translation_status.record(row, before=before)


def status(row, field, language) -> str:
    return translation_status.statuses_of(row, language=language)[field].status


def units(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {unit.get("id"): unit for unit in root.iterfind(".//x:unit", NS)}


def note(unit, category) -> str:
    return unit.find(f"x:notes/x:note[@category='{category}']", NS).text


def translate(data: bytes, texts: dict[str, str], *, state="translated") -> bytes:
    """What a translator's CAT tool does: fill targets and move their state on."""
    root = etree.fromstring(data)
    for unit in root.iterfind(".//x:unit", NS):
        if unit.get("id") in texts:
            segment = unit.find("x:segment", NS)
            target = segment.find("x:target", NS)
            if target is None:
                target = etree.SubElement(segment, f"{{{XLIFF}}}target")
            target.text = texts[unit.get("id")]
            segment.set("state", state)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def all_texts() -> dict:
    """Every translated text of every row of the demo, by (model, id)."""
    return {
        (model._meta.model_name, row.pk): translation_status.texts_of(row)
        for model in translation_status.tracked_models()
        for row in model.objects.all()
    }


def all_statuses() -> dict:
    return {
        (row.content_type_id, row.object_id, row.field, row.language): row.status
        for row in FieldTranslation.objects.all()
    }


@pytest.fixture
def guide(demo):
    """A live demo guide written in three languages, whose Simplified title an editor just
    changed: its English title is stale."""
    live = Publication.objects.live().filter(languages__contains="en").order_by("slug").first()
    procedure = Procedure.objects.get(pk=live.procedure_id)
    edit(procedure, title_zh_hans=procedure.title_zh_hans + "（更新）")
    assert status(procedure, "title", "en") == TranslationStatus.STALE
    return procedure


def test_an_export_holds_source_translation_status_and_a_stable_id_per_field(guide):
    data, count = exchange_export(language="en", guides=[guide])
    root = etree.fromstring(data)
    assert root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("zh-hans", "en")
    found = units(data)
    assert count == len(found) > 5
    title = found[f"procedure.{guide.pk}.title"]
    assert title.find("x:segment/x:source", NS).text == guide.title_zh_hans
    assert title.find("x:segment/x:target", NS).text == guide.title_en
    assert note(title, "kb:status") == "stale"
    assert title.find("x:segment", NS).get("state") == "initial"
    step = guide.steps.first()
    assert note(found[f"step.{step.pk}.body"], "kb:status") == "complete"
    # The same ids in a second export: a translator's memory matches them.
    assert set(units(exchange_export(language="en", guides=[guide])[0])) == set(found)


def test_round_trip_updates_the_translated_field_and_nothing_else(guide, client):
    translator = member_of("Translator")
    data, _count = exchange_export(language="en", guides=[guide])
    before_texts, before_statuses = all_texts(), all_statuses()
    title_id = f"procedure.{guide.pk}.title"

    report = exchange_import(
        data=translate(data, {title_id: "Register your SIM card (updated)"}),
        user=translator,
    )

    assert report.updated == [title_id] and report.conflicts == []
    guide.refresh_from_db()
    assert guide.title_en == "Register your SIM card (updated)"
    assert status(guide, "title", "en") == TranslationStatus.COMPLETE
    # Nothing else changed: every other text, and every other status (zh-hant stays stale).
    after_texts = all_texts()
    after_texts[("procedure", guide.pk)]["title"]["en"] = before_texts[("procedure", guide.pk)][
        "title"
    ]["en"]
    assert after_texts == before_texts
    after_statuses = all_statuses()
    changed = {key for key in after_statuses if after_statuses[key] != before_statuses.get(key)}
    assert {(key[2], key[3]) for key in changed} == {("title", "en")}
    assert status(guide, "title", "zh-hant") == TranslationStatus.STALE
    # In the guide's history, under the translator's name.
    latest = Version.objects.get_for_object(guide).first()
    assert latest.revision.user == translator
    assert "English" in events.describe(latest.revision.get_comment())
    # Readers see it once a publisher publishes the guide.
    publishing.procedure_publish(procedure=guide, user=member_of("Publisher"))
    page = client.get(f"/en/guides/{guide.slug}/")
    assert "Register your SIM card (updated)" in page.content.decode()
    api = client.get(f"/en/api/v1/guides/{guide.slug}/").json()
    assert api["title"]["text"] == "Register your SIM card (updated)"


def test_a_conflicting_import_is_refused_field_by_field(guide):
    translator = member_of("Translator")
    first, second, third = list(guide.steps.all()[:3])
    data, _count = exchange_export(language="en", guides=[guide])
    # Meanwhile on the site: the source of step 1 changes, and someone translates step 2.
    edit(first, title_zh_hans=first.title_zh_hans + "（改）")
    edit(second, title_en="Changed on the site")
    translated = translate(
        data,
        {
            f"step.{first.pk}.title": "From the file 1",
            f"step.{second.pk}.title": "From the file 2",
            f"step.{third.pk}.title": "From the file 3",
        },
    )

    report = exchange_import(data=translated, user=translator)

    assert report.updated == [f"step.{third.pk}.title"]
    reasons = {conflict.id: conflict.reason for conflict in report.conflicts}
    assert "source text changed" in reasons[f"step.{first.pk}.title"]
    assert "changed this translation" in reasons[f"step.{second.pk}.title"]
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.title_en != "From the file 1"
    assert second.title_en == "Changed on the site"
    assert third.title_en == "From the file 3"


def test_accepting_a_machine_conversion_as_it_is_marks_it_reviewed(demo):
    carrier = Carrier.objects.order_by("slug").first()
    state = translation_status.statuses_of(carrier, language="zh-hant")["name"]
    state.status, state.machine_converted = TranslationStatus.MACHINE, True
    state.save()
    data, _count = exchange_export(language="zh-hant", carriers=[carrier])
    unit = units(data)[f"carrier.{carrier.pk}.name"]
    assert note(unit, "kb:status") == "machine"
    # Imported untouched, it stays a machine conversion: nobody reviewed it.
    assert exchange_import(data=data, user=member_of("Translator")).updated == []
    assert status(carrier, "name", "zh-hant") == TranslationStatus.MACHINE
    accepted = translate(data, {f"carrier.{carrier.pk}.name": carrier.name_zh_hant}, state="final")

    report = exchange_import(data=accepted, user=member_of("Translator"))

    assert report.updated == [f"carrier.{carrier.pk}.name"]
    assert status(carrier, "name", "zh-hant") == TranslationStatus.COMPLETE


def test_an_untouched_file_changes_nothing(guide):
    data, count = exchange_export(language="en", guides=[guide])
    before = all_texts()
    report = exchange_import(data=data, user=member_of("Translator"))
    assert report.updated == [] and report.conflicts == [] and report.unchanged == count
    assert all_texts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "not an XLIFF 2.0 file"),
        (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>', "XLIFF 2.0"),
    ],
)
def test_a_file_that_is_not_ours_is_refused_with_a_clear_message(db, data, message):
    with pytest.raises(ExchangeError, match=message):
        exchange_import(data=data, user=member_of("Translator"))


def test_a_file_for_another_language_is_refused(guide):
    data, _count = exchange_export(language="en", guides=[guide])
    with pytest.raises(ExchangeError, match="into English, not 繁體中文"):
        exchange_import(data=data, user=member_of("Translator"), language="zh-hant")


def test_readers_and_other_staff_cannot_import(guide):
    data, _count = exchange_export(language="en", guides=[guide])
    with pytest.raises(ExchangeError, match="Only editors and translators"):
        exchange_import(data=data, user=UserFactory(is_staff=True))


def test_commands_export_everything_and_import_it_back(demo, tmp_path):
    translator = member_of("Translator")
    path = tmp_path / "all-en.xlf"
    out = io.StringIO()
    call_command("exportxliff", "--all", "--language", "en", "-o", str(path), stdout=out)
    assert "texts of" in out.getvalue()
    data = path.read_bytes()
    step = Step.objects.filter(title_en__gt="").order_by("pk").first()
    path.write_bytes(translate(data, {f"step.{step.pk}.title": "A better step title"}))
    out = io.StringIO()
    call_command("importxliff", str(path), "--user", translator.username, stdout=out)
    assert "1 updated" in out.getvalue() and "0 conflicts" in out.getvalue()
    step.refresh_from_db()
    assert step.title_en == "A better step title"


def test_commands_say_what_is_wrong(demo, tmp_path):
    with pytest.raises(CommandError, match="No guide with the slug: nope"):
        call_command("exportxliff", "--guide", "nope", "--language", "en", "-o", "x.xlf")
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("exportxliff", "--all", "--language", "fr", "-o", str(tmp_path / "x.xlf"))
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(b"<html/>")
    user = member_of("Translator")
    with pytest.raises(CommandError, match="not an XLIFF 2.0 file"):
        call_command("importxliff", str(bad), "--user", user.username)


def test_admin_action_downloads_the_selected_guides_for_translation(guide, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/en/admin/procedures/procedure/",
        {"action": "export_xliff_zh_hant", "_selected_action": [guide.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="guides-zh-hant-')
    root = etree.fromstring(response.content)
    assert root.get("trgLang") == "zh-hant"
    assert f"procedure.{guide.pk}.title" in units(response.content)
