"""A guide's history reads in the editor's admin language, whoever wrote it in which language:
events are stored as codes with parameters and rows are named in each language."""

import pytest
import reversion

from procedures import editorial
from procedures.editorial import events
from procedures.models import Procedure

from .factories import full_guide, member_of
from .forms import save_guide_in_admin

pytestmark = pytest.mark.django_db


def history(client, guide, prefix):
    url = f"/{prefix}/admin/procedures/procedure/{guide.pk}/history/"
    return client.get(url).content.decode()


def test_history_is_read_in_each_editors_admin_language(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    step = guide.steps.order_by("position").first()
    step.title_zh_hans, step.title_en = "准备证件", "Prepare your ID"
    step.save()
    client.force_login(member_of("Editor"))
    # Saved in the English admin: a text of the guide and a step's title.
    assert save_guide_in_admin(client, guide, **{"title_en": "Renamed"}).status_code == 302
    editorial.procedure_submit_for_review(procedure=guide, user=member_of("Editor"))

    chinese = history(client, guide, "zh-hans")
    assert "已修改" in chinese and "Changed" not in chinese
    assert "Submitted for review." not in chinese
    english = history(client, guide, "en")
    assert "Changed" in english and "Submitted for review." in english


def test_rows_are_named_in_the_admin_language_and_old_comments_still_show(client):
    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=1)
    step = guide.steps.order_by("position").first()
    client.force_login(member_of("Editor"))
    prefix = "steps-0"
    assert (
        save_guide_in_admin(
            client,
            guide,
            **{f"{prefix}-title_zh_hans": "简 新步骤", f"{prefix}-title_en": "New step"},
        ).status_code
        == 302
    )
    assert Procedure.objects.get(pk=guide.pk).steps.get(pk=step.pk).title_en == "New step"
    assert "New step" in history(client, guide, "en")
    assert "简 新步骤" in history(client, guide, "zh-hans")
    assert "简 新步骤" not in history(client, guide, "en")

    with reversion.create_revision():
        reversion.add_to_revision(Procedure.objects.get(pk=guide.pk))
        reversion.set_comment("An old plain comment.")
    assert "An old plain comment." in history(client, guide, "zh-hant")


def test_an_event_is_described_when_read_and_an_unknown_one_is_refused_when_written():
    from django.utils import translation

    stored = events.comment("published")
    with translation.override("zh-hans"):
        assert events.describe(stored) == "已发布。"
    with translation.override("en"):
        assert events.describe(stored) == "Published."
    assert events.describe("") == "" and events.describe("{not json") == "{not json"
    with pytest.raises(KeyError):
        events.comment("no-such-event")
