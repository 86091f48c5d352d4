"""Invented Japanese news articles for bench/search.py, from seeded templates.

Why a generator of its own: the search benchmark needs tens of thousands of Japanese articles
whose character bigrams are distributed roughly as in news (a few very common bigrams, a long
tail of names and places), and the hand-written Japanese of bench/dedup_data.py is a few dozen
stories. Every sentence here is a template of ours filled with common words, place names and
invented people and organisations; nothing is taken from a real article.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(*lines: str) -> tuple[str, ...]:
    return tuple(" ".join(lines).split())


PREFECTURES = _words(
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県",
    "東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県",
    "三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県",
    "山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県",
    "鹿児島県 沖縄県",
)
CITIES = _words(
    "札幌市 函館市 旭川市 盛岡市 仙台市 石巻市 秋田市 山形市 郡山市 いわき市 水戸市",
    "つくば市 宇都宮市 前橋市 高崎市 さいたま市 川越市 千葉市 船橋市 横浜市 川崎市",
    "相模原市 新潟市 長岡市 富山市 金沢市 福井市 甲府市 長野市 松本市 岐阜市 静岡市",
    "浜松市 名古屋市 豊田市 津市 四日市市 大津市 京都市 大阪市 堺市 神戸市 姫路市 奈良市",
    "和歌山市 鳥取市 松江市 岡山市 倉敷市 広島市 福山市 下関市 徳島市 高松市 松山市",
    "高知市 北九州市 福岡市 久留米市 佐賀市 長崎市 佐世保市 熊本市 大分市 宮崎市 鹿児島市",
    "那覇市 世田谷区 練馬区 港区 新宿区 渋谷区",
)
SURNAMES = _words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上",
    "木村 林 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田",
    "後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田",
    "中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 内田 柴田 酒井 宮崎 横山 高木",
    "安藤 宮本 大野 小島 工藤 谷口 今井 高田 丸山",
)
GIVEN = _words(
    "浩 誠 健一 大輔 拓也 翔太 直樹 和也 隆 修 聡 亮 健太 裕子 陽子 恵子 美香 真由美 智子",
    "由美 明美 直子 久美子 彩 愛 美咲 さくら 陽菜 結衣 大翔 蓮 悠真 颯太 湊 樹 一郎 正人",
    "博之 秀樹",
)
ORG_HEADS = _words(
    "東日本 西日本 北斗 朝日丘 みなと 光が丘 中央 第一 三和 大和 明星 富士見 若葉 青葉",
    "桜川 白鷺 大洋 瑞穂 山城 筑紫 北陸 南海 東邦 昭和 平成 日の出 あおぞら ひかり つばさ",
    "やまびこ",
)
ORG_TAILS = _words(
    "電機 製作所 銀行 信用金庫 化学 製薬 商事 物産 建設 鉄道 航空 海運 食品 製紙 通信",
    "電力 ガス 不動産 証券 保険 自動車 工業 精機 重工 ホールディングス 大学 病院 高校",
    "農協 漁協",
)
TOPICS = _words(
    "地震 大雨 台風 大雪 猛暑 洪水 土砂災害 津波 噴火 停電 断水 選挙 予算 税制 年金 介護",
    "保育 医療 病院 診療所 感染症 ワクチン 物価 賃金 雇用 人手不足 最低賃金 円安 円高",
    "株価 金利 景気 輸出 輸入 貿易 観光 訪日客 旅館 温泉 鉄道 新幹線 在来線 バス路線 空港",
    "港湾 高速道路 橋 トンネル 農業 コメ 野菜 果物 漁業 水産物 林業 森林 電力",
    "原子力発電所 再生可能エネルギー 太陽光発電 風力発電 水素 半導体 電気自動車 自動運転",
    "人工知能 ロボット 宇宙 人工衛星 ロケット 教育 給食 学校 大学入試 部活動 少子化",
    "高齢化 人口減少 空き家 移住 地域おこし 祭り 文化財 美術館 博物館 図書館 映画 音楽",
    "将棋 囲碁 野球 サッカー 相撲 マラソン 五輪 パラリンピック 外交 首脳会談 安全保障",
    "防衛 自衛隊 警察 事件 事故 詐欺 裁判 判決 火災 交通事故 防災 避難所 復興 仮設住宅",
    "商店街 百貨店 コンビニ スーパー 物流 宅配 外国人労働者 留学生 子育て 児童手当 奨学金",
)
VERBS = _words(
    "発表した 明らかにした 決めた 始めた 検討している 求めている 見直す方針だ",
    "目指している 取り組む 公表した 要請した 開始する予定だ 延期した 中止した 再開した",
    "強化する 拡充する",
)
WEATHER = _words(
    "雨 雪 風 雷 霧 晴れ 曇り",
)

_TITLES = (
    "{pref}で{topic}　{org}が対策{verb_short}",
    "{topic}の影響広がる　{city}で{n}件",
    "{org}、{topic}事業に参入へ",
    "{city}の{topic}、前年比{n}％増",
    "{person}さんが{topic}で表彰　{pref}",
    "{pref}知事、{topic}対策の強化を表明",
    "{topic}と{topic2}　政府が新方針",
    "{city}で{weather}、{topic}に影響",
)
_SENTENCES = (
    "{pref}{city}の{org}は{day}、{topic}に関する新たな計画を{verb}。",
    "関係者によると、{topic}をめぐっては{n}年ほど前から{topic2}との関係が指摘されていた。",
    "{org}の{person}社長は記者会見で「{topic}への対応は待ったなしだ」と述べた。",
    "{pref}内では{day}までに{n}件の{topic}が確認されており、県が詳しい状況を調べている。",
    "国の調査では、{topic}に関わる人は全国で約{n}万人に上る。",
    "{city}では{day}朝から{weather}が強まり、{topic}への影響が心配されている。",
    "専門家は「{topic}と{topic2}は切り離して考えるべきではない」と話している。",
    "{person}さん（{age}）は「地域のために{topic}を続けたい」と語った。",
    "計画では、{year}年度までに{topic}の規模を{n}倍に広げる。",
    "政府は{topic}の支援策として約{n}億円を予算に計上する方針だ。",
    "{org}によると、{topic}の売り上げは前年同期より{n}％増えた。",
    "{pref}の担当者は「{topic2}の状況を見ながら判断したい」としている。",
    "{city}の{topic}をめぐる住民説明会には約{n}人が参加した。",
    "{topic}の現場では人手不足が続いており、{org}は外部との連携を急いでいる。",
    "{day}午後には{pref}の一部で{weather}となり、{topic2}の一部が見合わされた。",
    "{org}は{topic}の分野で{org2}と提携し、共同で研究を進める。",
    "市によると、{topic}の利用者は{year}年の調査開始以来、最も多かった。",
    "{person}教授（{topic}）は「長期的な視点での議論が必要だ」と指摘する。",
)
DAYS = tuple(f"{d}日" for d in range(1, 29))


@dataclass(frozen=True)
class JapaneseArticle:
    title: str
    paragraphs: tuple[str, ...]


def _fill(template: str, rng: random.Random, fixed: dict[str, str]) -> str:
    values = {
        "pref": rng.choice(PREFECTURES), "city": rng.choice(CITIES),
        "org": rng.choice(ORG_HEADS) + rng.choice(ORG_TAILS),
        "org2": rng.choice(ORG_HEADS) + rng.choice(ORG_TAILS),
        "person": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "topic": rng.choice(TOPICS), "topic2": rng.choice(TOPICS),
        "verb": rng.choice(VERBS), "verb_short": rng.choice(("へ", "急ぐ", "強化", "検討")),
        "weather": rng.choice(WEATHER), "day": rng.choice(DAYS),
        "n": str(rng.choice((2, 3, 5, 8, 12, 15, 20, 30, 45, 60, 120, 250, 800))),
        "age": str(rng.randint(18, 88)), "year": str(rng.randint(2026, 2035)),
    }
    values.update(fixed)
    return template.format(**values)


def generate(rng: random.Random) -> JapaneseArticle:
    """One article of 6-22 sentences in 3-7 paragraphs (about 350-1,400 characters); the
    article's main place, organisation and topic recur, as they do in a real report."""
    fixed = {"pref": rng.choice(PREFECTURES), "org": rng.choice(ORG_HEADS) + rng.choice(ORG_TAILS),
             "topic": rng.choice(TOPICS), "city": rng.choice(CITIES)}
    title = _fill(rng.choice(_TITLES), rng, fixed)
    sentences = [_fill(rng.choice(_SENTENCES), rng, fixed if rng.random() < 0.6 else {})
                 for _ in range(rng.randint(6, 22))]
    cuts = sorted(rng.sample(range(1, len(sentences)), min(len(sentences) - 1,
                                                           rng.randint(2, 6))))
    paragraphs = ["".join(sentences[a:b]) for a, b in zip([0, *cuts], [*cuts, len(sentences)],
                                                          strict=True)]
    return JapaneseArticle(title, tuple(p for p in paragraphs if p))
