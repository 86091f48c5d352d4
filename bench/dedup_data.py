"""Hand-written text for bench/dedup.py: every story, name and figure here is invented.

Why hand-written: the demo articles and the generated site are English only, and the real
Japanese pages of the shared corpus are few (and may be absent). The benchmark also needs texts
that no generator gives: pairs of *independent* reports of one event (same facts, names and
numbers, different wording and structure), which must stay apart, and short stories that carry
the same long boilerplate block, which must stay apart too.

Texts are kept in a small plain format so that long paragraphs stay readable under the line
limit: `=== title` starts a story (`=== title | place` gives a Japanese story's dateline
place), blank lines separate paragraphs, wrapped lines are joined (with a space in English,
without one in Japanese). In boilerplate groups, `+++` starts the shared block and `@@@`
separates groups.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    """One invented article: title, paragraphs and (Japanese seeds) its dateline place."""

    title: str
    paragraphs: tuple[str, ...]
    place: str | None = None


def _paragraphs(lines: list[str], language: str) -> list[str]:
    """Blank-line separated paragraphs; wrapped lines joined the way the language writes."""
    joiner = "" if language == "ja" else " "
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(joiner.join(current))
            current = []
    return out


def parse_stories(text: str, language: str) -> list[Story]:
    """Stories of a `=== title` block (see the module docstring)."""
    stories: list[Story] = []
    title: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if title is not None:
            head, _, place = title.partition("|")
            stories.append(Story(head.strip(), tuple(_paragraphs(lines, language)),
                                 place.strip() or None))

    for line in text.strip().splitlines():
        if line.startswith("==="):
            flush()
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    flush()
    return stories


def parse_groups(text: str, language: str) -> list[tuple[str, list[Story]]]:
    """Boilerplate groups: (the shared block, the stories that carry it)."""
    groups = []
    for chunk in text.strip().split("@@@"):
        head, _, rest = chunk.strip().partition("\n===")
        assert head.startswith("+++"), head[:40]
        block = " ".join(_paragraphs(head[3:].splitlines(), language))
        if language == "ja":
            block = block.replace(" ", "")
        groups.append((block, parse_stories("===" + rest, language)))
    return groups


# ---- Japanese seeds (copied by the variant functions) ------------------------------------------

JA_SEEDS = parse_stories("""
=== 白樺村で記録的大雪　３集落が一時孤立 | 長野
長野県北部の白樺村で２０日夜から２１日朝にかけて記録的な大雪となり、村道が通行止めになったため、
山あいの３集落、計４２世帯８７人が一時孤立した。村によると、けが人は確認されていない。

気象台によると、白樺村では２１日午前６時までの１２時間に８２センチの降雪を観測し、
観測史上最大を更新した。積雪は平年の約２倍の１５０センチに達した。

村は除雪車を総動員して村道の除雪を進め、同日午後３時ごろまでに全ての集落への通行を確保した。
孤立した集落では停電も発生したが、電力会社が夕方までに復旧させた。

村の担当者は「高齢者の多い地区なので、体調を崩した人がいないか保健師が一軒ずつ訪ねている」と
話している。気象台は２２日にかけても大雪に警戒するよう呼びかけている。

=== 東海さくら銀行と三河中央銀行が合併へ　来年１０月 | 名古屋
愛知県を地盤とする東海さくら銀行と三河中央銀行は１５日、来年１０月に合併すると発表した。
合併後の総資産は約６兆２０００億円となり、県内の地方銀行で最大規模となる。

新銀行の名称は「あいち未来銀行」とし、本店は名古屋市中区に置く。
頭取には東海さくら銀行の森川浩二頭取（６１）が就任する予定だ。

両行は人口減少や低金利の長期化で収益環境が厳しさを増していることから、
店舗の統廃合やシステムの共通化で年間約８０億円のコスト削減を目指す。
重複する店舗は約３０店あり、順次統合する方針だ。

記者会見で森川頭取は「地域の企業を支える力を高めるための決断だ。雇用は維持する」と述べた。

=== 新駅「みなと能登浜駅」が開業　式典に３００人 | 金沢
石川県能登浜市に整備されていた鉄道の新駅「みなと能登浜駅」が１日開業し、
駅前で記念式典が開かれた。地元の住民や関係者ら約３００人が出席し、始発列車の出発を見送った。

新駅は市中心部と漁港の間に位置し、１日あたり約２５００人の利用を見込む。
建設費の約１８億円は市と県、鉄道会社が分担した。

駅舎には観光案内所と地元の海産物を扱う売店が入り、市は観光客の増加に期待を寄せている。

式典であいさつした市長は「長年の悲願がかなった。駅を核に新しいまちづくりを進めたい」と語った。

=== 高校生チームがロボット競技の全国大会で初優勝 | 福岡
全国の高校生がロボットの技術を競う大会の決勝が２３日、東京都内で行われ、
福岡県立玄海工業高校のチームが初優勝を果たした。同校は来年夏に開かれる国際大会への出場権を得た。

大会には予選を勝ち抜いた４８チームが出場した。課題は、制限時間３分以内にロボットを操作して
色の異なるボールを仕分け、指定の場所に運ぶというもの。

玄海工業高のチームは２年生５人で構成され、放課後や休日に半年以上かけてロボットを設計した。
決勝では相手チームを１２点上回った。

主将の２年、中野颯太さん（１７）は「失敗の連続だったが、みんなで改良を重ねた結果だ。
世界でも自分たちの力を試したい」と笑顔を見せた。

=== 息子装い２０００万円詐取の疑い　３４歳男を逮捕 | 大阪
息子を装って高齢女性から現金をだまし取ったとして、大阪府警は１２日、住所不定、無職の男（３４）を
詐欺の疑いで逮捕した。府警によると、男は「受け取りに行っただけだ」と容疑を一部否認している。

逮捕容疑は、仲間と共謀して今年５月、府内に住む女性（８１）に息子を名乗って電話をかけ、
「会社の金を使い込んだ。今日中に穴埋めしないといけない」などとうそを言い、
現金約２０００万円をだまし取った疑い。

女性が後日、息子に連絡して被害に気付いた。府警は防犯カメラの映像などから男を特定した。

府内では今年、同様の特殊詐欺の被害が相次いでおり、府警は組織的な犯行グループがあるとみて
調べている。

=== 市立図書館で２４時間開館の試行始まる | 仙台
宮城県杜野市の市立中央図書館で１日、２４時間開館の試行が始まった。市によると、
公立図書館が終日開館するのは県内で初めて。試行は来年３月末まで続ける。

夜間の午後１０時から翌朝８時までは職員を置かず、利用者は事前に登録した図書館カードで入館する。
自動貸出機や防犯カメラを新たに設置し、警備員が巡回する。

市が昨年行ったアンケートでは、仕事帰りの会社員や受験生を中心に
「夜遅くまで使いたい」との声が多く寄せられていた。

初日の深夜には約４０人が訪れ、資格試験の勉強をしていた会社員の女性（２９）は
「残業の後でも静かな場所で勉強できるのはありがたい」と話した。
""", "ja")


# ---- independent reports of one event: consecutive stories form a pair ------------------------

DISTINCT_EN_STORIES = parse_stories("""
=== Strong quake jolts Chiba, no tsunami threat
An earthquake with a preliminary magnitude of 6.1 struck off the coast of Chiba Prefecture at
4:12 a.m. on Tuesday, registering lower 5 on Japan's seismic intensity scale of 7 in the town of
Kujuhama, the Japan Meteorological Agency said.

The agency said there was no threat of a tsunami. The focus of the quake was about 40 kilometers
deep.

Three people in the prefecture suffered minor injuries, including a 78-year-old woman who fell
while leaving her home, according to the local fire department.

East Japan Railway Co. briefly halted some local lines to check tracks. Tokyo Electric Power
Company Holdings said no abnormalities were found at its facilities.

=== Three hurt as magnitude-6.1 tremor rattles Boso Peninsula
Residents of the Boso Peninsula were woken before dawn Tuesday when a magnitude 6.1 earthquake
centered offshore shook buildings across Chiba Prefecture, leaving three people with light
injuries.

Kujuhama, a fishing town on the Pacific coast, recorded the strongest shaking, at lower 5.
Meteorological officials, who put the time of the quake at 4:12 a.m. and its depth at roughly
40 km, ruled out any tsunami.

Among the injured was a woman aged 78 who tripped on her way out of the house, firefighters said.

Some JR East commuter services were suspended for safety checks, while TEPCO reported its plants
and power lines were undamaged.

=== Hoshizora Motors recalls 84,000 vehicles over brake sensor fault
Hoshizora Motors Corp. said Thursday it will recall 84,000 vehicles in Japan because a faulty
sensor could cause the automatic emergency braking system to activate when there is no obstacle
ahead.

The recall, filed with the transport ministry, covers three models of compact cars and minivans
produced between March 2023 and August 2024, the Nagoya-based automaker said.

The company said it had received 212 reports of the problem, which it attributed to moisture
getting into a radar unit. Four minor collisions had been linked to the defect, but no one was
injured.

Dealers will replace the sensor free of charge starting next month.

=== Phantom braking prompts Hoshizora to call back 84,000 cars
Owners of some Hoshizora compact cars and minivans have complained for more than a year that
their vehicles stopped sharply on empty roads. On Thursday the automaker acknowledged the problem
and announced a domestic recall of 84,000 units.

In a notice submitted to the Ministry of Land, Infrastructure, Transport and Tourism, Hoshizora
blamed water seeping into the radar that feeds its collision-avoidance system. Of the 212
complaints it has logged, four involved low-speed crashes; none caused injuries.

The affected vehicles, spread across three models, were built from March 2023 through August
2024. Repairs, which involve a new sensor, begin next month at no cost to owners.

=== Power outage halts Tokaido Shinkansen for three hours
Services on the Tokaido Shinkansen line between Tokyo and Shin-Osaka were suspended for about
three hours on Friday evening after a power outage, affecting some 46,000 passengers, Central
Japan Railway Co. said.

The outage occurred at around 5:40 p.m. near Hamamatsu Station in Shizuoka Prefecture. The
operator said a bird's nest built on an overhead wire support may have caused a short circuit.

About 60 trains were stopped, including 14 between stations, where passengers were stranded
inside for up to two and a half hours. Service resumed at 8:45 p.m.

JR Central said it would refund express fares to passengers whose trains were delayed by more
than two hours.

=== Stranded in the dark: bullet train riders wait hours as nest triggers outage
Tens of thousands of travelers heading home for the weekend were stuck on Friday when a power
failure near Hamamatsu shut down the Tokaido bullet train line from 5:40 p.m. until 8:45 p.m.

Central Japan Railway said 46,000 people were affected. Fourteen of the roughly 60 halted trains
came to a stop between stations, and some riders spent as long as two and a half hours in
carriages with the air conditioning off.

The company suspects that a nest built by birds on equipment supporting the overhead lines caused
a short circuit. Passengers delayed by two hours or more will have their express charges
refunded.

=== Takanoumi clinches first Emperor's Cup with 13-2 record
Sekiwake Takanoumi won his first top-division championship on Sunday, beating ozeki Kirishimayama
on the final day of the Kyushu Grand Sumo Tournament in Fukuoka to finish with a 13-2 record.

The 26-year-old from Aomori Prefecture forced his opponent out in a little over ten seconds,
then received the Emperor's Cup in front of a sellout crowd of 7,000.

Takanoumi, who had lost only to the two yokozuna earlier in the meet, is now expected to be
considered for promotion to ozeki. "I just wanted to keep attacking," he said.

=== Aomori's Takanoumi storms to maiden title, eyes ozeki promotion
A thrust-out win over Kirishimayama took barely ten seconds, and with it Takanoumi, 26, secured
the Kyushu tournament title on Sunday, his first in the makuuchi division.

The sekiwake, who hails from Aomori, ended the 15-day meet at 13-2; his only defeats came against
the two grand champions. A full house of 7,000 fans watched him lift the Emperor's Cup in
Fukuoka.

The Japan Sumo Association's judges are likely to discuss his elevation to sumo's second-highest
rank. "I just wanted to keep attacking," the new champion told reporters.

=== Rare red panda triplets born at Kitahama zoo
Three red panda cubs were born at Kitahama City Zoo in Hyogo Prefecture last month, the zoo said
Wednesday, the first triplets of the endangered species born in a Japanese zoo in 11 years.

The cubs, two females and one male, were born on June 28 to 7-year-old mother Momiji and father
Kaede. Each weighed about 120 grams at birth and now weighs around 600 grams.

The zoo said the cubs are healthy and will be shown to the public from September. It plans to
hold a naming contest.

=== Triple joy: zoo in Hyogo welcomes three red panda babies
Momiji, a 7-year-old red panda at Kitahama City Zoo, has given birth to triplets, a rare event
that last happened at a Japanese zoo 11 years ago, zookeepers announced Wednesday.

The two girls and one boy, fathered by Kaede, arrived on June 28 weighing roughly 120 g each.
They have since grown to about 600 g and are in good health.

Visitors will be able to see them from September, and the public will be invited to suggest
names. Red pandas are listed as endangered.

=== Ginrei department store chain to shut five stores, cut 900 jobs
Ginrei Department Stores Co. said Monday it will close five of its 18 stores by February 2026 and
cut about 900 jobs, as sales in regional cities continue to fall.

The stores to be closed are in Akita, Tottori, Tokushima, Saga and Miyazaki. The company will
seek voluntary retirements and offer transfers to its remaining outlets.

Ginrei posted a net loss of 14.2 billion yen in the year to March, its third straight annual
loss. President Takashi Endo said the closures were "painful but necessary" to return to profit.

=== Regional shoppers lose out as Ginrei retreats to big cities
Department store operator Ginrei will pull out of five regional cities, shrinking its network
from 18 stores to 13 by February 2026, the company announced Monday.

Around 900 employees will lose their jobs through early retirement, though some will be offered
positions elsewhere. Akita, Tottori, Tokushima, Saga and Miyazaki will lose their Ginrei
branches.

The retailer has been in the red for three consecutive years and lost 14.2 billion yen in the
most recent fiscal year. Calling the decision "painful but necessary," President Takashi Endo
said the company must focus on its big-city flagships.
""", "en")

DISTINCT_JA_STORIES = parse_stories("""
=== 岐阜の化学工場で火災　従業員２人がやけど
２日午前１０時半ごろ、岐阜県美濃川市の化学メーカー「東濃ケミカル」の工場から出火したと、
近くの住民から１１９番通報があった。火は約４時間後に消し止められたが、
鉄骨２階建ての作業棟約６００平方メートルが焼けた。

県警などによると、作業をしていた男性従業員２人が腕や顔にやけどを負い、病院に運ばれた。
いずれも命に別条はないという。

工場では塗料の原料となる樹脂を製造しており、出火当時は約２０人が働いていた。
県警と消防が出火原因を調べている。

=== 「ドンという音がした」　美濃川市の工場火災、周辺住民に不安
黒い煙が空高く立ち上り、周辺には焦げたようなにおいが広がった。
岐阜県美濃川市で２日に起きた東濃ケミカルの工場火災では、作業棟が焼け、
従業員の男性２人がやけどで病院に搬送された。２人とも命に別条はない。

消防によると、通報は午前１０時半ごろ。鎮火までにおよそ４時間かかり、
焼失面積は約６００平方メートルに上った。同社は塗料用の樹脂を生産しており、
当時工場内には２０人ほどがいた。

工場の向かいに住む７０代の男性は「ドンという大きな音がして外に出たら、火柱が見えた。
こんなことは初めてで怖かった」と話した。出火の原因は警察と消防が調べている。

=== アニメ映画「星降る灯台」、興行収入１００億円を突破
配給会社の銀河ピクチャーズは９日、公開中のアニメ映画「星降る灯台」の興行収入が
１００億円を突破したと発表した。公開から５２日目での大台到達で、観客動員数は７４０万人を超えた。

作品は、離島の灯台守の少女と流れ着いた少年の交流を描いた物語。
監督の春日井遼氏にとって初の長編作品となる。

同社によると、国内のアニメ映画で興行収入が１００億円を超えるのは今年初めて。
来月からはアジアの８カ国・地域でも順次公開される予定だ。

=== 初の長編で快挙　春日井監督「星降る灯台」が大ヒット
春日井遼監督が初めて手がけた長編アニメ「星降る灯台」の勢いが止まらない。
配給元の銀河ピクチャーズが９日に明らかにしたところでは、累計の興行収入は１００億円の大台に乗り、
動員も７４０万人を上回った。

公開５２日目での記録達成となる。物語の舞台は離島の灯台で、そこで暮らす少女が
海岸に流れ着いた少年と心を通わせていく。

国内アニメ映画の１００億円突破は今年初。今後は８つの国と地域で上映が予定されており、
海外での反応も注目される。

=== 南浜市長選、新人の有沢恵子氏が初当選
任期満了に伴う南浜市長選は１７日投開票され、無所属新人の元市議、有沢恵子氏（５２）が、
現職の田島義男氏（６８）ら２人を破り、初当選した。女性の市長は同市で初めて。

当日有権者数は１６万２４０１人で、投票率は４３．８５％だった。前回を６．２ポイント上回った。

有沢氏は子育て支援の充実や市役所の手続きのデジタル化を訴え、若い世代を中心に支持を広げた。
当選確実の知らせを受け、有沢氏は「市民の声を聞く市政を実現したい」と抱負を語った。

=== 「市民の声を聞く市政を」　南浜市初の女性市長に有沢氏
１７日に投開票された南浜市長選で、元市議の有沢恵子氏（５２）が現職ら２人を退けて当選を決めた。
同市で女性が市長に就くのは初めてとなる。

選挙事務所に当選確実の一報が入ると、支持者から大きな拍手がわき起こった。
有沢氏は「市民の声を聞く市政を実現したい」と述べ、子育て支援の拡充と
行政手続きのデジタル化に取り組む考えを示した。

４選を目指した田島義男氏（６８）は及ばなかった。投票率は４３．８５％で、
前回より６．２ポイント高かった。
""", "ja")

DISTINCT_EN = list(zip(DISTINCT_EN_STORIES[::2], DISTINCT_EN_STORIES[1::2], strict=True))
DISTINCT_JA = list(zip(DISTINCT_JA_STORIES[::2], DISTINCT_JA_STORIES[1::2], strict=True))


# ---- different short stories that carry the same long boilerplate block -----------------------

BOILERPLATE_EN = parse_groups("""
+++
If you or someone you know is struggling or in crisis, help is available. The Inochi Helpline
offers free and anonymous counseling in English and Japanese from 9 a.m. to 11 p.m. every day,
and chat counseling is available through its website for those who find it hard to talk on the
phone. In an emergency, call 119 for an ambulance or 110 for the police.
=== Student's death prompts review of school's bullying response
The education board of Sakuragawa city said Thursday it will set up an independent panel to
examine how a junior high school handled reports of bullying before a 14-year-old student died
last month.

The student's parents said they had told teachers several times that their son was being
harassed by classmates, but the school recorded the matter as a minor dispute.

=== Survey finds rising loneliness among young workers
Nearly four in ten workers in their twenties say they often feel lonely, up from three in ten
five years ago, according to a survey published Monday by a labor research institute.

Respondents who worked mainly from home were more likely to report loneliness, and many said
they had no one at work they could ask for advice.
@@@
+++
Train service information: East Japan Railway Co. publishes the real-time operating status of
all of its lines on its website and in its smartphone app. Passengers are advised to check the
latest information before setting out, to allow extra time for their journeys and to follow the
instructions of station staff. Refunds for delayed express tickets can be claimed at any ticket
office within one year.
=== Snow delays morning commute on Joban Line
Heavy snow in Ibaraki Prefecture delayed trains on the Joban Line by up to 50 minutes on
Wednesday morning, leaving platforms crowded with commuters during the rush hour.

The railway said points at two stations had frozen overnight and that crews worked from before
dawn to clear them.

=== Signal failure disrupts Chuo Line services
Rapid services on the Chuo Line were suspended for about 90 minutes on Tuesday evening after a
signal failure near Mitaka, the operator said.

Some 30,000 passengers were affected. Engineers traced the fault to a damaged cable and
completed repairs shortly after 8 p.m.
@@@
+++
This article is provided for general information only and does not constitute investment advice
or a recommendation to buy or sell any security. Prices quoted are as of the close of trading
unless otherwise stated. Readers should consult a licensed financial adviser before making any
investment decision, and the publisher accepts no liability for losses arising from the use of
this information.
=== Tokyo stocks end higher as chipmakers rally
Tokyo stocks closed higher on Friday, led by semiconductor-related shares after a strong earnings
forecast from a U.S. chip designer lifted sentiment across Asia.

The benchmark index rose 1.2 percent for the day and gained 2.8 percent over the week, its best
weekly performance in two months.

=== Bond yields edge up ahead of central bank meeting
The yield on the benchmark 10-year Japanese government bond rose to its highest level in three
weeks on Thursday as traders braced for the central bank's policy meeting next week.

Some market participants expect the bank to reduce its bond purchases further, although most
economists see no change in interest rates this month.
@@@
+++
Evacuation information: Residents should check the hazard maps published by their municipality
and confirm the location of their nearest evacuation center in advance. When an evacuation order
is issued at alert level 4, everyone in the designated area should leave immediately. If it is
too dangerous to go outside, move to the highest floor of a sturdy building, away from slopes
and rivers.
=== Typhoon nears Okinawa with violent winds
A strong typhoon was moving slowly toward the main island of Okinawa on Saturday, packing winds of
up to 180 kph near its center, the weather agency said.

Airlines canceled more than 300 flights to and from the prefecture, and ferry services to outlying
islands were suspended through Sunday.

=== Landslide warning issued for mountain towns in Nara
Authorities issued landslide warnings for five towns and villages in southern Nara Prefecture on
Monday after two days of heavy rain saturated the steep hillsides.

A section of a prefectural road was closed after rocks fell onto the road surface, but no
injuries were reported.
@@@
+++
To prevent heatstroke, the health ministry recommends drinking water regularly even before
feeling thirsty, using air conditioning appropriately, avoiding strenuous exercise during the
hottest hours of the day and checking on elderly relatives and neighbors. Symptoms include
dizziness, headache, nausea and muscle cramps. Anyone who becomes confused or unable to drink
should be taken to hospital immediately.
=== Record heat sends 3,200 to hospital in a week
More than 3,200 people were taken to hospital with suspected heatstroke in the week through
Sunday, the highest weekly figure this summer, the fire agency said.

Nearly half of those taken to hospital were aged 65 or older, and many had fallen ill inside
their homes.

=== Schools cancel outdoor club activities as temperatures soar
Public junior high schools in Saitama city have canceled outdoor club activities for the rest of
the week as forecasters predict temperatures above 38 C.

The city's education board said indoor clubs could continue in gymnasiums that have air
conditioning.
@@@
+++
About this report: This story was produced by our regional news desk with contributions from
correspondents across Japan. We are committed to accuracy and fairness. If you believe any part
of this article contains an error, please contact our corrections team through the feedback form
on our website, giving the headline and date of the article. Confirmed errors will be corrected
promptly and noted at the end of the article.
=== Fishing town celebrates return of autumn salmon
Fishermen in the Hokkaido town of Shirakaba landed their biggest autumn salmon catch in six years
this week, reviving hopes for a local industry hit by years of poor returns.

The town's cooperative said about 40 tons were landed on Tuesday alone, and prices at the morning
auction fell for the first time this season.

=== Rural clinic recruits doctors with free housing offer
A village in Shimane Prefecture is offering a free house and a car to doctors willing to work at
its only clinic for at least three years.

The clinic has been without a full-time physician since spring, and residents have had to travel
an hour to the nearest hospital for routine checkups.
@@@
+++
Infection prevention: Health authorities urge the public to wash their hands frequently with
soap, to wear a mask in crowded indoor spaces when they have symptoms and to ventilate rooms
regularly. People with a fever or cough should stay home from work or school and call their
doctor before visiting a clinic. Vaccination is recommended for older people and those with
chronic illnesses.
=== Flu cases reach epidemic level in Hokkaido
Influenza has reached epidemic levels in Hokkaido, with an average of 31 patients per medical
institution reported last week, the prefectural government said.

Several elementary schools in Sapporo have closed classes after a large number of pupils were
absent with fever.

=== Measles case confirmed in traveler at Kansai airport
A man in his thirties who arrived at Kansai International Airport from Southeast Asia last week
has been diagnosed with measles, Osaka prefectural health officials said.

They are asking passengers who were on the same flight to watch for symptoms such as fever and
a rash over the next three weeks.
""", "en")

BOILERPLATE_JA = parse_groups("""
+++
【相談窓口】悩みを抱えている人や、身近な人の様子が気になる人は、一人で抱え込まずに相談してください。
「いのちの相談ダイヤル」は２４時間、無料で電話相談を受け付けています。
ＳＮＳやチャットで相談できる窓口もあり、厚生労働省のホームページで案内しています。
緊急の場合は１１９番や１１０番に通報してください。
=== 中学生の自殺、市教委が第三者委員会を設置へ
桜川市教育委員会は２８日、市立中学校の２年生の男子生徒が先月死亡した問題で、
いじめとの関連を調べる第三者委員会を設置すると発表した。

生徒の両親は、同級生からのいじめについて学校に複数回相談していたと訴えている。
市教委は「遺族の思いに寄り添い、事実を明らかにしたい」としている。

=== 若者の４割「孤独感じる」　民間調査
２０代の働く人の約４割が「孤独を感じることがよくある」と答えたことが、
民間の研究機関の調査でわかった。５年前の調査から約１０ポイント増えた。

在宅勤務が中心の人ほど孤独を感じる割合が高く、職場に相談できる相手がいないと答えた人も多かった。
@@@
+++
【運行情報】各線の最新の運行状況は、鉄道各社のホームページや公式アプリで確認できます。
悪天候が予想される日は、時間に余裕を持って出かけ、駅係員の案内に従ってください。
運休や遅延に伴う特急料金の払い戻しは、駅の窓口で１年以内であれば受け付けています。
=== 大雪で在来線に遅れ　通勤客に影響
雪の影響で、茨城県内を走る在来線で３日朝、最大５０分の遅れが出た。
ホームは通勤客で混雑し、駅員が乗客の誘導に追われた。

鉄道会社によると、夜間に２駅で線路のポイントが凍結し、早朝から作業員が対応にあたった。

=== 信号トラブルで快速が運転見合わせ　３万人に影響
２日午後６時半ごろ、三鷹駅付近で信号設備のトラブルがあり、快速電車が約１時間半にわたって
運転を見合わせた。約３万人に影響が出た。

鉄道会社が調べたところ、信号用のケーブルが損傷しており、午後８時すぎに復旧した。
@@@
+++
【熱中症に注意】熱中症を防ぐため、のどが渇いていなくてもこまめに水分を補給し、
室内ではためらわずにエアコンを使用してください。日中の暑い時間帯の外出や激しい運動はできるだけ避け、
高齢の家族や近所の人にも声をかけましょう。めまいや頭痛、吐き気などの症状がある場合は、
涼しい場所で休み、必要に応じて医療機関を受診してください。
=== 熱中症の搬送、今夏最多の３２００人
消防庁は２９日、熱中症の疑いで２８日までの１週間に救急搬送された人が全国で３２００人を超え、
今夏で最多になったと発表した。

搬送された人の半数近くが６５歳以上の高齢者で、自宅の室内で体調を崩した人が目立った。

=== 猛暑でプール授業を中止　さいたま市の小学校
さいたま市教育委員会は、気温が３８度を超える予想が出ていることから、
市立小学校の屋外プールでの授業を今週いっぱい中止すると決めた。

市教委は、暑さ指数が基準を超えた場合は休み時間の外遊びも控えるよう各校に通知した。
""", "ja")


# ---- material the variant functions add ------------------------------------------------------

EDITOR_NOTES_EN = (
    "Editor's note: This story has been updated with comments from the prefectural government "
    "and the latest figures on the number of people affected.",
    "Editor's note: An earlier version of this article misstated the date of the announcement. "
    "It has been corrected.",
    "Editor's note: This article was updated to add background information and a response from "
    "the company.",
)
EDITOR_NOTES_JA = (
    "※この記事は、県の発表を受けて被害の状況などの情報を更新しました。",
    "※初出時、発表の日付に誤りがありました。訂正しました。",
    "※関係者への取材に基づき、経緯についての説明を加えました。",
)
EXTRA_SENTENCES_EN = (
    "The prefecture has a population of about 1.7 million and is known for its farming and hot "
    "springs.",
    "A similar case was reported in the region last year, according to local media.",
    "The government is expected to announce further measures before the end of the month.",
    "Officials declined to comment on when a final decision would be made.",
    "The announcement came a day after a government panel released its annual report.",
)
EXTRA_SENTENCES_JA = (
    "同様の事例は昨年も県内で相次いでおり、関係者は警戒を強めている。",
    "関係者によると、今月中にも詳しい方針が示される見通しだ。",
    "地元では今後の対応に注目が集まっている。",
    "発表を受け、周辺の自治体も対応の検討を始めた。",
)
SUBSTITUTIONS_EN = (
    (" said ", " stated "), (" about ", " around "), (" more than ", " over "),
    (" percent", "%"), (" on Sunday", " Sunday"), (" on Monday", " Monday"),
    (" on Tuesday", " Tuesday"), (" on Wednesday", " Wednesday"), (" on Thursday", " Thursday"),
    (" on Friday", " Friday"), (" on Saturday", " Saturday"), (" will ", " is set to "),
    (" people ", " residents "), (" according to ", " citing "), (" announced ", " said "),
    (" including ", " among them "), (" also ", " additionally "), (" however", " though"),
)
SUBSTITUTIONS_JA = (
    ("発表した", "明らかにした"), ("によると", "では"), ("約", "およそ"), ("と述べた", "と話した"),
    ("と話した", "と語った"), ("明らかにした", "発表した"), ("している", "しているという"),
    ("予定だ", "予定という"), ("調べている", "捜査している"), ("した。", "したという。"),
    ("と語った", "と述べた"), ("ことが分かった", "ことがわかった"), ("予定。", "予定だ。"),
    ("午前", "同日午前"), ("確認されていない", "いないという"), ("就任する", "就く"),
)
DATELINE_CITIES_EN = ("TOKYO", "OSAKA", "NAGOYA", "FUKUOKA", "SAPPORO", "SENDAI", "KOBE")
