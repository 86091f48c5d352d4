"""Invented articles for the search tests, in the JSON form `jpnews import` reads.

Every story, name and figure is made up. The set is built to tell right from wrong: a wire
story carried by three outlets (one result, two copies), an outlet's own report of the same
rain ("heavy rains", which the exact phrase "heavy rain" must not match), words that contain
"rain" without being it (brain, train), Japanese words that need substring matching
(東京都 in 東京都庁, 雨 in 大雨, and 雨 only ever at the end of a run: 今日は雨。), 東京 and 京都 apart (no 東京都),
full-width ＪＲ (Japanese) and ＮＨＫ (in an English article, which the normaliser leaves
as printed), agencies, an article two years old, and two articles long enough that their
last words sit past tsvector's 16,383 positions.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

RAIN_KYODO = [
    "Heavy rain lashed Kumamoto Prefecture on Tuesday, prompting local authorities to issue "
    "evacuation orders to about 8,400 residents as rivers rose to dangerous levels.",
    "The Japan Meteorological Agency said up to 95 millimeters of rain fell in an hour in "
    "parts of the prefecture, and warned that more heavy rain could trigger landslides "
    "through Wednesday morning.",
    "Officials in the town of Minamisato said two roads were closed after mud slid onto them, "
    "and that a shelter at the community center had taken in 140 people by the evening.",
    "Rail services on a regional line were suspended and several schools closed early, while "
    "the agency urged residents in low-lying areas to move to higher ground before dark.",
]
RAIN_OWN = [
    "Farmers across Kyushu are counting their losses after a week of heavy rains flattened "
    "rice paddies and washed away greenhouses, according to agricultural cooperatives.",
    "In Saga Prefecture alone, cooperatives estimated the damage at 1.2 billion yen, with "
    "soybean fields still under water on Friday.",
    "Growers said the rains came weeks earlier than usual this year and asked the prefecture "
    "for emergency loans to replant before the autumn harvest.",
    "Some of the rice had been promised to wholesalers in Sendai and Osaka.",
]
BRAIN = [
    "A brain research center opened on Monday in the north of Japan, bringing together 60 "
    "scientists who "
    "study how memory forms and fades in old age.",
    "Visitors can take a train from the city center to the new campus, where the center plans "
    "public lectures every month and a summer school for high school students.",
    "The director said the center would share its imaging data with hospitals in the region, "
    "and that ＮＨＫ would film its first year.",
]
WAGE = [
    "A government panel recommended raising the national average minimum wage by 51 yen to "
    "1,106 yen an hour, the largest increase since the current system began.",
    "Labor unions welcomed the recommendation, while small business groups said many firms "
    "would struggle to absorb higher costs without help.",
]
STOCKS = [
    "Tokyo stocks closed higher on Thursday as exporters rose on a weaker yen, with the "
    "benchmark index gaining 1.4 percent to a three-week high.",
    "Electronics makers and automakers led the advance, while utilities and railway operators "
    "lagged behind the broader market.",
]
TYPHOON_OLD = [
    "A strong typhoon brought heavy rain and high winds to Okinawa, cutting power to some "
    "42,000 households and grounding flights to and from Naha.",
    "The weather agency said the storm would move north toward the Amami islands overnight.",
]

JA_TOCHO = [
    "東京都庁の展望室が約１年の改装工事を終え、１日から一般公開を再開した。",
    "都によると、展望室には新たに多言語の案内表示が設けられ、車いすでも利用しやすいよう通路が広げられた。"
    "初日は開場前から約３００人が列をつくった。",
    "訪れた会社員の女性は「晴れた日には富士山が見えると聞いて来た。また家族と来たい」と話していた。",
]
JA_RAIN_KYODO = [
    "九州南部は２日、活発な梅雨前線の影響で大雨となり、鹿児島県の一部地域に避難指示が出された。"
    "気象台は土砂災害に厳重な警戒を呼びかけている。",
    "気象台によると、鹿児島県南部では１時間に８０ミリ以上の猛烈な雨が降った所があり、"
    "川の水位が上がっている。",
    "県内では約２万世帯に避難指示が出され、各地の避難所には高齢者らが身を寄せた。",
]
JA_QUAKE = [
    "３日午前、茨城県南部を震源とする地震があり、同県と栃木県で最大震度４を観測した。"
    "この地震による津波の心配はない。",
    "気象庁によると、震源の深さは約５０キロ、地震の規模を示すマグニチュードは５．２と推定される。",
    "鉄道の一部区間で運転を見合わせたが、けが人や建物の被害の情報は入っていない。",
]
JA_LUNCH = [
    "食材の値上がりを受け、全国の公立小中学校の約４割が今年度、給食費を引き上げたことが文部科学省の調査で分かった。",
    "引き上げ幅は月額２００円から５００円が最も多く、自治体の補助で据え置いた学校もあった。",
    "保護者からは「家計への負担が重い」との声が上がっており、国に支援を求める自治体も出ている。",
]
JA_JR = [
    "ＪＲ東日本は５日、山手線の一部の駅で新しい案内ロボットの試験運用を始めると発表した。",
    "ロボットは駅構内を移動しながら、乗り換えや出口の案内を日本語と英語など４か国語で行う。",
    "同社は利用者の反応を見て、来年度以降の本格導入を検討する。",
]
JA_TRIP = [
    "修学旅行の行き先として東京から京都への移動を選ぶ中学校が増えている。旅行会社の調べで分かった。",
    "新幹線の団体割引を利用する学校が多く、春と秋の繁忙期には臨時列車も運行される。",
    "ある中学校の教員は「歴史の授業で学んだ寺社を実際に見ることで、生徒の関心が高まる」と話した。",
]
JA_SHOWER = [
    "今日は雨。週末に予定されていた市民マラソン大会は、コースの安全確保が難しいとして中止が決まった。",
    "主催者によると、参加予定だった約３０００人には参加費の一部を返金する。",
    "来年は例年通り１１月に開催する予定だという。",
]


def _long_english() -> list[str]:
    """About 19,000 words, the phrase to find at the very end."""
    sentence = ("Committee members reviewed the budget line by line and asked for more detail "
                "on maintenance costs for the harbor bridge and the ferry terminal. ")
    # 20 distinct paragraphs (the normaliser drops a repeated one) x 40 sentences x 24 words
    filler = [f"Item {n}. " + sentence * 40 for n in range(1, 21)]
    return [*filler, "At the end of the session the council approved funding for the "
            "lantern festival in Asakusa and a new gingko avenue."]


def _long_japanese() -> list[str]:
    """About 20,000 characters of Japanese, the word to find at the very end."""
    sentence = "委員会は予算案の各項目について説明を求め、港湾施設の維持管理費について議論した。"
    filler = [f"第{n}項。" + sentence * 25 for n in range(1, 21)]
    return [*filler, "最後に、こどもの日に合わせて鯉のぼりを川沿いに飾る事業の予算が承認された。"]


def articles(now: datetime) -> list[dict[str, Any]]:
    """The records, dated relative to `now`."""
    def at(hours: float) -> str:
        return (now - timedelta(hours=hours)).astimezone(timezone(timedelta(hours=9))).isoformat()

    def record(source: str, slug: str, title: str, body: list[str], hours: float,
               language: str, **extra: Any) -> dict[str, Any]:
        hosts = {"kyodo": "https://english.kyodonews.net/news/2026/11/",
                 "japantoday": "https://japantoday.com/category/national/",
                 "mainichi_en": "https://mainichi.jp/english/articles/20261129/p2g/00m/0na/",
                 "japantimes": "https://www.japantimes.co.jp/news/2026/11/29/japan/",
                 "yomiuri": "https://www.yomiuri.co.jp/national/20261129-OYT1T5",
                 "mainichi": "https://mainichi.jp/articles/20261129/k00/00m/040/",
                 "tokyo_np": "https://www.tokyo-np.co.jp/article/",
                 "asahi": "https://www.asahi.com/articles/ASV",
                 "nikkei": "https://www.nikkei.com/article/DGXZQO"}
        return {"url": hosts[source] + slug, "source": source, "title": title,
                "body": "\n\n".join(body), "published_at": at(hours), "language": language,
                "crawled_at": now.isoformat(), **extra}

    rain_jt = ["KUMAMOTO —", *RAIN_KYODO[:3],
               "Rail services on a regional line were suspended and several schools closed "
               "early, while the agency urged residents in low-lying areas to move to higher "
               "ground.", "© KYODO"]
    rain_mainichi = [*RAIN_KYODO, "(Kyodo)"]
    return [
        record("kyodo", "a1b2c3d4e5f6-heavy-rain-prompts-evacuation-orders-in-kumamoto.html",
               "Heavy rain prompts evacuation orders in Kumamoto", RAIN_KYODO, 6, "en",
               editor_note="Editor: Story has been updated to report the number of residents "
                           "ordered to evacuate."),
        record("japantoday", "heavy-rain-prompts-evacuation-orders-in-kumamoto",
               "Heavy rain prompts evacuation orders in Kumamoto", rain_jt, 5, "en"),
        record("mainichi_en", "001000c", "Heavy rain prompts evacuation orders in Kumamoto",
               rain_mainichi, 4, "en"),
        record("japantimes", "kyushu-farmers-count-losses-rains",
               "Kyushu farmers count losses after a week of rains", RAIN_OWN, 30, "en"),
        record("japantoday", "brain-research-center-opens-in-sendai",
               "Brain research center opens in Sendai", BRAIN, 50, "en"),
        record("japantoday", "panel-recommends-record-minimum-wage-increase",
               "Panel recommends record minimum wage increase", [*WAGE, "© JIJI"], 70, "en"),
        record("japantoday", "tokyo-stocks-close-higher-on-weaker-yen",
               "Tokyo stocks close higher on weaker yen", [*STOCKS, "© AFP-JIJI"], 80, "en"),
        record("japantoday", "typhoon-cuts-power-to-okinawa-households",
               "Typhoon cuts power to Okinawa households", [*TYPHOON_OLD, "© KYODO"],
               2 * 365 * 24, "en"),
        record("japantimes", "city-council-budget-session-marathon",
               "City council ends marathon budget session", _long_english(), 100, "en"),
        record("yomiuri", "0001", "東京都庁の展望室、改装終え再開", JA_TOCHO, 8, "ja"),
        record("mainichi", "001000c", "九州南部で大雨　鹿児島に避難指示", JA_RAIN_KYODO, 7, "ja",
               credit="共同"),
        record("tokyo_np", "400001", "九州南部で大雨、鹿児島県に避難指示",
               [*JA_RAIN_KYODO[:2], JA_RAIN_KYODO[2] + "気象台は引き続き警戒を呼びかけている。"],
               6.5, "ja", credit="共同"),
        record("asahi", "ZQ1A0001", "茨城県南部で震度４の地震　津波の心配なし", JA_QUAKE, 20, "ja"),
        record("nikkei", "UA0001", "公立小中の４割、給食費を値上げ　文科省調査", JA_LUNCH, 26, "ja"),
        record("tokyo_np", "400002", "ＪＲ東日本、駅で案内ロボット試験運用", JA_JR, 12, "ja"),
        record("asahi", "ZQ1A0002", "修学旅行、東京から京都へ　新幹線で移動する中学校が増加", JA_TRIP,
               40, "ja"),
        record("yomiuri", "0002", "市民マラソン大会が中止に　安全確保難しく", JA_SHOWER, 3, "ja"),
        record("yomiuri", "0003", "市議会、長時間の予算審議を終える", _long_japanese(), 90, "ja"),
    ]


def write(path: Path, now: datetime) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for item in articles(now):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path
