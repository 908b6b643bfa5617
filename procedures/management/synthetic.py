"""Made-up guide text for the synthetic knowledge base (generatekb): Chinese and English
phrases drawn from a seeded random generator, Traditional converted from Simplified."""

import random

ZH = [
    "请携带有效身份证明文件前往营业厅办理",
    "在运营商官方应用程序中填写姓名和证件号码",
    "上传证件照片后等待系统审核",
    "审核通过后会收到短信通知",
    "每人在同一家运营商登记的预付卡数量有上限",
    "未成年人须由父母或监护人陪同办理",
    "如证件已过期，请先联系运营商客服",
    "删除手机上的描述文件不会注销号码",
    "办理前请先用完或查询余额",
    "注意不要把验证码告诉任何人",
    "实名登记是法律规定的义务",
    "外国访客可以使用护照登记",
]


EN = [
    "Bring a valid identity document to the operator's store.",
    "Enter your name and document number in the operator's official app.",
    "Upload a photo of your document and wait for the review.",
    "You receive a text message when the registration is approved.",
    "There is a limit on how many prepaid cards one person may register with an operator.",
    "Minors register with a parent or guardian.",
    "If your document has expired, contact the operator's customer service first.",
    "Deleting the profile on your phone does not cancel the number.",
    "Use up or check your balance before you start.",
    "Never tell anyone a verification code.",
    "Real-name registration is required by law.",
    "Foreign visitors can register with their passport.",
]


def _traditional(texts):
    try:
        import opencc
    except ImportError:  # the generator still works, with Simplified text in both scripts
        return list(texts)
    converter = opencc.OpenCC("s2hk")
    return [converter.convert(text) for text in texts]


class Text:
    """Random sentences in the three languages, the same idea in each."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.hant = _traditional(ZH)

    def sentence(self, words: int = 1) -> dict[str, str]:
        picks = [self.rng.randrange(len(ZH)) for _ in range(words)]
        return {
            "zh-hans": "。".join(ZH[i] for i in picks) + "。",
            "zh-hant": "。".join(self.hant[i] for i in picks) + "。",
            "en": " ".join(EN[i] for i in picks),
        }

    def title(self, number: int) -> dict[str, str]:
        base = self.rng.randrange(len(ZH))
        return {
            "zh-hans": f"{ZH[base][:12]}（{number}）",
            "zh-hant": f"{self.hant[base][:12]}（{number}）",
            "en": f"{EN[base].rstrip('.')} ({number})",
        }


def fields(name: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{code.replace('-', '_')}": value for code, value in texts.items()}


def columns(name: str, texts: dict[str, str]) -> dict[str, str]:
    """As `fields`, plus the untranslated column modeltranslation keeps (default language)."""
    return {name: texts["zh-hans"], **fields(name, texts)}
