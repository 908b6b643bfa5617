"""Issue 16, Mainland China, the Philippines and the United States: the corrected facts are what a
reader sees on the rendered page, in the language they are checked in, and every guide of these
regions answers how long, how much, what if something goes wrong and whom to call."""

import re
from pathlib import Path

import pytest
import yaml

from procedures.models import Carrier, Note, Procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

LANGUAGES = ("zh-hans", "zh-hant", "en")
REGIONS = ("mainland-china", "philippines", "united-states")
GUIDES_DIR = Path(__file__).resolve().parents[1] / "procedures" / "demo_content" / "guides"
MERGED = [
    "mainland-china-mobile-real-name",
    "mainland-china-telecom-real-name",
    "mainland-china-unicom-real-name",
]


def page(client, language, slug):
    response = client.get(f"/{language}/guides/{slug}/")
    assert response.status_code == 200, (language, slug)
    return response.content.decode()


def text(html):
    """The page as a reader reads it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- 一证通查: the count of cards and their operators, not the numbers -------------------------


def test_one_id_check_reports_a_count_and_operators_not_numbers_zh_hans(client):
    html = text(page(client, "zh-hans", "mainland-one-stop-number-check"))
    assert "名下共有几张在用的手机卡、分别属于哪些运营商" in html
    assert "不会列出具体号码" in html
    # The old claim: it "finds the mobile numbers registered to your ID".
    assert "可以查出你的居民身份证名下在各基础电信企业和移动转售企业登记的手机号码" not in html


def test_one_id_check_reports_a_count_and_operators_not_numbers_en(client):
    html = text(page(client, "en", "mainland-one-stop-number-check"))
    assert "how many active mobile cards are registered" in html
    assert "It does not list the numbers themselves" in html
    assert "lists the mobile numbers registered to your PRC resident ID card" not in html


def test_one_id_check_2_0_is_its_own_guide_from_21_july_2022(client):
    html = text(page(client, "zh-hant", "mainland-internet-account-check"))
    assert "2022 年 7 月 21 日推出" in html
    assert "結果只有數目，不包括帳戶名稱" in html


# --- Four Mainland operators; one real-name guide for them ----------------------------------------


@pytest.mark.parametrize(
    "language, names",
    [
        ("zh-hans", ["中国移动", "中国联通", "中国电信", "中国广电"]),
        ("zh-hant", ["中國移動", "中國聯通", "中國電信", "中國廣電"]),
        ("en", ["China Mobile", "China Unicom", "China Telecom", "China Broadnet"]),
    ],
)
def test_mainland_real_name_guide_covers_the_four_operators(client, language, names):
    html = text(page(client, language, "mainland-real-name-registration"))
    assert all(name in html for name in names)
    assert {"zh-hans": "四家", "zh-hant": "四間", "en": "four mobile operators"}[language] in html


def test_china_broadnet_is_a_mainland_carrier_with_its_own_guide(client):
    carrier = Carrier.objects.get(slug="china-broadnet")
    assert carrier.region.slug == "mainland-china"
    html = text(page(client, "en", "mainland-china-broadnet-real-name"))
    assert "numbers start with 192" in html
    region = text(client.get("/zh-hans/regions/mainland-china/").content.decode())
    assert "中国广电" in region


def test_the_three_per_operator_guides_were_merged_with_redirects(client):
    assert not Procedure.objects.filter(slug__in=MERGED).exists()
    assert not any((GUIDES_DIR / f"{slug}.yaml").exists() for slug in MERGED)
    merged = yaml.safe_load((GUIDES_DIR / "mainland-real-name-registration.yaml").read_text())
    assert set(merged["redirect_from"]) == set(MERGED)
    for slug in MERGED:
        assert client.get(f"/en/guides/{slug}/").status_code != 200


def test_mainland_esim_needs_a_china_market_phone(client):
    html = text(page(client, "en", "mainland-esim-activation"))
    assert "only phones sold for the Mainland market" in html
    assert "almost certainly cannot" in html


# --- T-Mobile: no ID for prepaid only; postpaid credit check; two care lines ----------------------


def test_tmobile_no_id_holds_for_prepaid_only_en(client):
    html = text(page(client, "en", "us-tmobile-real-name"))
    assert "it holds for prepaid only" in html
    assert "Postpaid plans need a credit evaluation and ID." in html
    assert "no ID needed in the US" not in html  # the old title


def test_tmobile_no_id_holds_for_prepaid_only_zh_hans(client):
    html = text(page(client, "zh-hans", "us-tmobile-real-name"))
    assert "后付费套餐要做信用评估并出示证件" in html
    assert "在美国无需登记证件" not in html  # the old title


def test_tmobile_data_sim_tells_prepaid_from_postpaid_zh_hant(client):
    html = text(page(client, "zh-hant", "us-tmobile-data-sim"))
    assert "儲值數據卡" in html and "後付數據計劃則須在門市或電話辦理信貸評估並出示證件" in html


@pytest.mark.parametrize(
    "language, prepaid, postpaid",
    [
        ("en", "T-Mobile Prepaid customer care", "postpaid customer care"),
        ("zh-hans", "T-Mobile 预付卡客户服务", "后付费（月结）客户服务"),
        ("zh-hant", "T-Mobile 儲值卡客戶服務", "後付（月費）客戶服務"),
    ],
)
def test_tmobile_prepaid_and_postpaid_care_lines_are_told_apart(
    client, language, prepaid, postpaid
):
    html = page(client, language, "us-tmobile-prepaid-vs-postpaid")
    assert 'href="tel:+18777782106"' in html and 'href="tel:+18009378997"' in html
    carrier = text(client.get(f"/{language}/carriers/t-mobile/").content.decode())
    assert f"+1 877 778 2106 ({prepaid})" in text(html) or prepaid in carrier
    assert postpaid in carrier


def test_fcc_26_27_is_explained_as_a_proposal_not_a_rule(client):
    html = text(page(client, "en", "us-fcc-26-27-proposal"))
    assert "It is not law" in html and "not a rule for subscribers" in html
    assert Procedure.objects.get(slug="us-fcc-26-27-proposal").requirement == "not-required"


# --- Philippines: sourced penalties, tourist SIM day 30 -------------------------------------------


def test_false_registration_penalty_is_stated_with_its_source_en(client):
    html = page(client, "en", "philippines-smart-sim-registration")
    assert "is an offence, punishable by six months to two years in prison" in text(html)
    assert 'is an offence <span class="badge badge-unverified">' not in html
    assert "news.abs-cbn.com" in html


def test_false_registration_penalty_zh_hans(client):
    html = text(page(client, "zh-hans", "philippines-false-registration-penalties"))
    assert "可判监禁六个月至两年，或罚款 10 万至 30 万比索" in html


def test_tourist_sim_is_extended_while_still_active_zh_hant(client):
    html = text(page(client, "zh-hant", "philippines-tourist-sim-extension"))
    assert "只可使用 30 日" in html and "仍然有效時" in html


# --- Words for each language's readers ------------------------------------------------------------


def test_each_chinese_script_uses_its_readers_words(client):
    slugs = published_slugs()
    for slug in slugs:
        simplified = page(client, "zh-hans", slug)
        assert not re.search("营办商|电邮|门市", simplified), slug
        traditional = page(client, "zh-hant", slug)
        assert "運營商" not in traditional, slug


# --- Every guide answers: how long, how much, what if it goes wrong, whom to call -----------------


def published_slugs():
    return list(
        Procedure.objects.published()
        .filter(region__slug__in=REGIONS)
        .values_list("slug", flat=True)
    )


def test_the_regions_have_the_expected_guides():
    slugs = set(published_slugs())
    assert len(slugs) >= 24
    assert {
        "mainland-real-name-registration",
        "mainland-visitor-sim-passport",
        "mainland-china-broadnet-real-name",
        "mainland-lost-sim-replacement",
        "mainland-internet-account-check",
        "mainland-number-portability",
        "mainland-card-limits-reverification",
        "philippines-tourist-sim-extension",
        "philippines-lost-sim-update-registration",
        "philippines-false-registration-penalties",
        "us-tmobile-prepaid-vs-postpaid",
        "us-fcc-26-27-proposal",
    } <= slugs


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_guide_has_time_cost_trouble_and_contacts(client, language):
    field = language.replace("-", "_")
    guides = (
        Procedure.objects.published()
        .filter(region__slug__in=REGIONS)
        .select_related("carrier")
        .prefetch_related("notes", "carrier__contact_numbers")
    )
    for guide in guides:
        assert getattr(guide, f"processing_time_{field}"), (guide.slug, "time")
        assert getattr(guide, f"fees_{field}"), (guide.slug, "fees")
        trouble = [n for n in guide.notes.all() if n.kind == Note.Kind.TROUBLE]
        assert trouble and all(getattr(n, f"body_{field}") for n in trouble), guide.slug
        has_numbers = guide.carrier is not None and guide.carrier.contact_numbers.exists()
        assert getattr(guide, f"official_contacts_{field}") or has_numbers, guide.slug
        html = page(client, language, guide.slug)
        heading = {"en": "If something goes wrong"}.get(language)
        if heading:
            assert heading in html, guide.slug
        assert 'href="tel:' in html, guide.slug
