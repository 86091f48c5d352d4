"""Hand-written sample articles for the demo Japan Today site.

Every story, person and figure here is invented. The list is the ground truth that tests compare
crawled output against, so each entry also says what a correct parser should find (credit agency,
editor's note, authors, which markup variant the page is served in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

KINDS = ("standard", "no-jsonld", "no-date", "shift_jis", "redesign", "not-article")


@dataclass(frozen=True)
class SampleArticle:
    """One article page of the demo site and the values a parser should extract from it."""

    slug: str
    section: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    age: timedelta
    """How long before the site's "now" the article was published (irrelevant for no-date)."""
    modified_after: timedelta | None = None
    """Published + this = the last-modified time printed in the page; None when never updated."""
    credit: str | None = None
    """The credit line as printed at the end of the body, e.g. "© KYODO"."""
    credit_agency: str | None = None
    """The normalised code a parser should derive from `credit`."""
    editor_note: str | None = None
    """The editor's note line as printed (just before the credit)."""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    caption: str | None = None
    """Photo caption; shown in a <figcaption>, never part of the body."""
    kind: str = "standard"


def _d(days: int = 0, hours: int = 0, minutes: int = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)


SAMPLE_ARTICLES: list[SampleArticle] = [
    # ---------------------------------------------------------------- national
    SampleArticle(
        slug="evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu",
        section="national",
        title="Evacuation orders issued as heavy rain lashes southern Kyushu",
        summary="Authorities in Kumamoto and Kagoshima prefectures ordered more than 12,000 "
        "residents to evacuate on Sunday as a slow-moving rain front stalled over Kyushu.",
        paragraphs=(
            "Authorities in Kumamoto and Kagoshima prefectures ordered more than 12,000 residents "
            "to evacuate on Sunday as a slow-moving rain front stalled over southern Kyushu, "
            "dumping record amounts of rain on mountain villages within a few hours.",
            "The Japan Meteorological Agency said some areas received more than 110 millimeters "
            "of rain in a single hour before dawn, and warned of landslides and flooding along "
            "smaller rivers until at least Monday evening.",
            "In the village of Isekawa, a landslide blocked the only road linking 40 households "
            "to the nearest town. Local officials said no one was injured but that residents "
            "would have to be supplied by helicopter if the road stays closed.",
            "Kyushu Railway suspended services on two local lines, and several expressway "
            "sections were closed as a precaution. Around 3,800 homes lost power for part of "
            "the morning, according to the regional utility.",
            "Prefectural officials opened 64 shelters, many of them in school gymnasiums, and "
            "urged elderly residents to move early rather than wait for conditions to worsen "
            "after dark.",
        ),
        age=_d(hours=3, minutes=10),
        modified_after=_d(hours=1, minutes=35),
        credit="© KYODO",
        credit_agency="KYODO",
        editor_note="Editor: Story has been updated to report the number of residents ordered "
        "to evacuate in Kagoshima Prefecture.",
        tags=("weather", "Kumamoto", "Kagoshima", "disaster"),
        caption="Residents carry belongings to a shelter in Isekawa, Kumamoto Prefecture, on "
        "Sunday.",
    ),
    SampleArticle(
        slug="nursery-waiting-lists-shrink-for-fifth-straight-year",
        section="national",
        title="Nursery waiting lists shrink for fifth straight year",
        summary="The number of children waiting for a place at licensed day care centers fell "
        "to 1,940 this year, the lowest since the government began keeping records.",
        paragraphs=(
            "The number of children waiting for a place at licensed day care centers across Japan "
            "fell to 1,940 as of April, the lowest figure since the government began keeping "
            "records, the Children and Families Agency said Monday.",
            "The figure was down about 18 percent from a year earlier. Officials credited new "
            "nurseries opened in large cities and a steady fall in the number of births, which "
            "has left some rural centers with empty places.",
            "More than 80 percent of municipalities reported no children on waiting lists at all. "
            "The remaining cases were concentrated in commuter towns around Tokyo, Osaka and "
            "Fukuoka, where new apartment blocks have drawn young families.",
            "The agency said it would shift its focus from building new facilities to keeping "
            "existing ones staffed, noting that many centers struggle to hire and retain "
            "qualified caregivers.",
        ),
        age=_d(minutes=20),
        credit="© Jiji Press",
        credit_agency="JIJI",
        tags=("childcare", "society"),
        caption="Children play at a day care center in Saitama Prefecture.",
    ),
    SampleArticle(
        slug="bear-sightings-prompt-school-route-changes-in-akita",
        section="national",
        title="Bear sightings prompt school route changes in Akita",
        summary="Several elementary schools in Akita Prefecture changed their walking routes "
        "after black bears were spotted near residential streets.",
        paragraphs=(
            "Several elementary schools in Akita Prefecture have changed the routes their pupils "
            "walk to and from class after black bears were spotted near residential streets on "
            "four separate occasions last week.",
            "In the town of Kamiyuzawa, a resident reported a bear eating persimmons in a garden "
            "about 200 meters from a school gate. Teachers now accompany children in groups, and "
            "parents have been asked to drive younger pupils when possible.",
            "Local hunters said a poor crop of beech nuts in the mountains this autumn has pushed "
            "bears to search for food closer to towns. The prefecture has set up additional "
            "traps and asked farmers to harvest fruit trees early.",
            "Officials advised residents to carry bells when walking near forests, avoid going "
            "out at dawn and dusk, and never leave garbage or pet food outside overnight, since "
            "the smell can draw bears into gardens.",
        ),
        age=_d(days=1, hours=2),
        credit="© Japan Today",
        credit_agency="JAPANTODAY",
        tags=("wildlife", "Akita", "education"),
        caption="A warning sign about bears near a school in Kamiyuzawa, Akita Prefecture.",
    ),
    SampleArticle(
        slug="asakusa-lantern-festival-returns-after-shrine-grounds-renovation",
        section="national",
        title="Asakusa lantern festival returns after shrine grounds renovation",
        summary="A neighborhood lantern festival in Tokyo's Asakusa district returned this "
        "weekend after a two-year break for renovation work.",
        paragraphs=(
            "A neighborhood lantern festival in Tokyo's Asakusa (浅草) district returned this "
            "weekend after a two-year break while the grounds of a local shrine were renovated, "
            "drawing an estimated 45,000 visitors over two evenings.",
            "About 1,200 paper lanterns, many painted by children from nearby schools, were hung "
            "along the lanes leading to the shrine. Volunteers from the shopping streets handed "
            "out maps in English, Chinese and Korean.",
            "「提灯の明かりで、もう一度この町を元気にしたい」 said Haruko Minegishi, 67, who heads "
            "the organizing committee of local shop owners and residents, meaning she hoped the "
            "light of the lanterns would bring the old neighborhood back to life.",
            "Shop owners said the festival drew many domestic visitors who had not come to the "
            "area in years. Organizers plan to make the event annual again and to add a daytime "
            "workshop where visitors, including families with small children, can paint their "
            "own lanterns.",
        ),
        age=_d(hours=7),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("Asakusa", "festival", "Tokyo"),
        caption="Paper lanterns line a lane leading to a shrine in Asakusa, Tokyo.",
        kind="shift_jis",
    ),
    SampleArticle(
        slug="volunteer-divers-clear-fishing-nets-from-okinawa-reef",
        section="national",
        title="Volunteer divers clear abandoned fishing nets from Okinawa reef",
        summary="A group of volunteer divers removed nearly two tons of abandoned fishing nets "
        "from a coral reef off Okinawa's main island.",
        paragraphs=(
            "A group of volunteer divers has removed nearly two tons of abandoned fishing nets "
            "from a coral reef off the west coast of Okinawa's main island, in a cleanup that "
            "took three weekends to complete.",
            "The nets, some of them tangled around coral heads several meters across, are thought "
            "to have drifted from fishing grounds far to the south. Divers cut them free by hand "
            "to avoid damaging the reef.",
            "Organizer Takumi Higa, a diving instructor, said the group found sea turtles and "
            "dozens of reef fish caught in the nets. He said the group would share its methods "
            "with other dive shops around the prefecture.",
            "Local fishermen helped haul the nets ashore, where they were sorted so that some of "
            "the material can be recycled into plastic pellets for use in park benches and "
            "fencing.",
        ),
        age=_d(days=2, hours=3),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("Okinawa", "environment"),
        caption="Volunteers pull fishing nets onto a beach in Okinawa.",
        kind="no-date",
    ),
    SampleArticle(
        slug="community-guidelines-for-comments",
        section="national",
        title="Community Guidelines for Comments",
        summary="How to take part in the discussion on Japan Today.",
        paragraphs=(
            "Japan Today welcomes comments from readers. To keep the discussion useful for "
            "everyone, please follow these guidelines when posting.",
            "Stay on topic and respond to the story, not to other readers.",
            "Do not post personal attacks, hate speech or threats.",
            "Do not post advertising, links to spam or personal information.",
            "Write in English so that moderators can review your comment.",
            "Moderators may remove comments that break these rules and may suspend accounts "
            "that repeatedly do so.",
        ),
        age=_d(days=1),
        kind="not-article",
    ),
    SampleArticle(
        slug="magnitude-5-earthquake-jolts-ibaraki-no-tsunami-warning",
        section="national",
        title="Magnitude 5 earthquake jolts Ibaraki; no tsunami warning",
        summary="An earthquake with a preliminary magnitude of 5.2 shook Ibaraki Prefecture "
        "on Sunday morning, with no reports of serious damage.",
        paragraphs=(
            "An earthquake with a preliminary magnitude of 5.2 shook Ibaraki Prefecture and "
            "surrounding areas on Sunday morning, the Japan Meteorological Agency said. No "
            "tsunami warning was issued.",
            "The quake registered lower 5 on Japan's seismic intensity scale of 7 in parts of "
            "northern Ibaraki, and was felt as far away as central Tokyo, where some trains "
            "briefly stopped for safety checks.",
            "The agency later revised the magnitude to 5.0 and said the focus was about 50 "
            "kilometers deep. Local fire departments reported two people with minor injuries "
            "from falling objects.",
            "The operator of a nuclear power plant in the prefecture said no abnormalities had "
            "been found at the facility, which is currently offline for scheduled inspections "
            "and maintenance.",
        ),
        age=_d(hours=11),
        modified_after=_d(minutes=25),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("earthquake", "Ibaraki"),
        caption=None,
    ),
    SampleArticle(
        slug="retired-teacher-turns-family-farmhouse-into-free-study-space",
        section="national",
        title="Retired teacher turns family farmhouse into free study space",
        summary="A former math teacher in Nagano Prefecture has opened his century-old "
        "farmhouse to students who need a quiet place to study.",
        paragraphs=(
            "When Shigeo Komatsubara retired after 38 years of teaching mathematics, he found "
            "himself alone in the century-old farmhouse where he grew up in the hills outside "
            "Ueda, Nagano Prefecture.",
            "Two years later, the house is full again. Every afternoon, a dozen or so junior and "
            "senior high school students arrive by bicycle to study around the sunken hearth, "
            "and stay until their parents collect them after work.",
            "There is no fee. Komatsubara, 68, helps with homework when asked, and local farmers "
            "drop off vegetables for an evening snack. A nearby bakery sends bread it could not "
            "sell during the day.",
            "\"Many of these kids have nowhere quiet to work at home,\" he said. \"I have space, "
            "time and too many textbooks. It seemed a waste to keep them to myself.\"",
            "The town has since asked him to advise on a plan to turn empty houses in the area "
            "into similar community spaces for students, elderly residents and young parents.",
        ),
        age=_d(days=2, hours=5),
        authors=("Reiko Tanabe",),
        tags=("education", "Nagano", "community"),
        caption="Students study in a farmhouse in Ueda, Nagano Prefecture.",
    ),
    SampleArticle(
        slug="osaka-ward-offers-rent-support-to-young-couples",
        section="national",
        title="Osaka ward offers rent support to young couples",
        summary="A ward in Osaka will pay part of the rent for newlywed couples under 35 who "
        "move into the area, hoping to slow its population decline.",
        paragraphs=(
            "A ward in Osaka will pay up to 30,000 yen a month toward the rent of newlywed "
            "couples under 35 who move into the area, in an effort to slow a population decline "
            "that has closed three schools in the past decade.",
            "The support will last for up to three years. Ward officials said they expect around "
            "150 couples to apply in the first year, and have set aside 60 million yen for the "
            "program.",
            "The ward has also teamed up with local real estate agents to list renovated older "
            "apartments at lower rents, and will offer free consultations on childcare and "
            "schools for new arrivals.",
        ),
        age=_d(days=4),
        credit="©2026 GPlusMedia Inc.",
        credit_agency="JAPANTODAY",
        tags=("Osaka", "housing", "population"),
        caption="An apartment building in an Osaka residential district.",
    ),
    SampleArticle(
        slug="lost-property-handed-in-to-tokyo-police-hits-record",
        section="national",
        title="Lost property handed in to Tokyo police hits record",
        summary="Items handed in to Tokyo police as lost property reached a record 4.4 million "
        "last year, led by ID cards and umbrellas.",
        paragraphs=(
            "Items handed in to Tokyo police as lost property reached a record 4.4 million last "
            "year, according to figures released by the Metropolitan Police Department on "
            "Thursday.",
            "Identification cards topped the list, followed by umbrellas, wallets and "
            "smartphones. About 2.1 billion yen in cash was also turned in, of which around three "
            "quarters was returned to its owners.",
            "Police said the number of items had risen as tourism recovered, and that a new "
            "online search system had made it easier for people to find what they had lost, "
            "including visitors who had already left the country.",
            "Unclaimed umbrellas are kept for three months before being recycled or given to "
            "charities, officials said, while unclaimed cash goes to the finder or, if the finder "
            "declines it, to the metropolitan government.",
        ),
        age=_d(days=6),
        credit="© Jiji Press",
        credit_agency="JIJI",
        tags=("police", "Tokyo"),
        caption="Umbrellas at a lost property center in Tokyo.",
        kind="no-jsonld",
    ),
    # ---------------------------------------------------------------- business
    SampleArticle(
        slug="yen-slides-to-three-month-low-as-exporters-gain",
        section="business",
        title="Yen slides to three-month low as exporters gain",
        summary="The yen weakened to its lowest level in three months against the dollar on "
        "Monday, lifting shares of Japanese exporters.",
        paragraphs=(
            "The yen weakened to its lowest level in three months against the dollar on Monday, "
            "as traders bet the gap between Japanese and U.S. interest rates would stay wide for "
            "longer than expected.",
            "Shares of carmakers and electronics exporters rose in Tokyo, helping the Nikkei "
            "average close up 1.1 percent. A weaker yen raises the value of overseas earnings "
            "when they are converted back into yen.",
            "\"The market is testing how much weakness the authorities will tolerate,\" said "
            "Kenta Furuhashi, a currency strategist at a Tokyo brokerage. He said comments from "
            "officials in the coming days would be closely watched.",
            "A finance ministry official told reporters the government was watching currency "
            "moves with a sense of urgency but declined to comment on whether it would step in.",
        ),
        age=_d(minutes=45),
        credit="© Reuters",
        credit_agency="REUTERS",
        tags=("yen", "markets", "economy"),
        caption="A screen shows the yen's exchange rate against the dollar in Tokyo.",
    ),
    SampleArticle(
        slug="minimum-wage-panel-recommends-record-increase",
        section="business",
        title="Minimum wage panel recommends record increase",
        summary="A government panel recommended raising the national average minimum wage by "
        "a record 68 yen to 1,123 yen an hour.",
        paragraphs=(
            "A government advisory panel on Thursday recommended raising Japan's average minimum "
            "wage by a record 68 yen to 1,123 yen an hour, as rising prices squeeze households "
            "and companies struggle to find workers.",
            "If adopted by all prefectures, the increase would take effect in October. The gap "
            "between the highest rate, in Tokyo, and the lowest, in several rural prefectures, "
            "would narrow slightly.",
            "Business groups representing small companies warned that some employers would have "
            "to cut hours or raise prices, and called for more government support to help firms "
            "invest in labor-saving equipment.",
            "Labor unions welcomed the decision but said wages still needed to rise faster than "
            "inflation for workers to feel better off, especially part-time staff in retail and "
            "restaurants.",
        ),
        age=_d(hours=5),
        credit="© Jiji Press",
        credit_agency="JIJI",
        tags=("wages", "labor", "economy"),
        caption=None,
    ),
    SampleArticle(
        slug="convenience-store-chain-to-pilot-unstaffed-night-shifts",
        section="business",
        title="Convenience store chain to pilot unstaffed night shifts",
        summary="A major convenience store chain will test letting customers shop overnight "
        "without staff at 30 stores using cameras and self-checkout.",
        paragraphs=(
            "A major convenience store chain will test letting customers shop overnight without "
            "any staff on site at 30 stores in Chiba and Saitama prefectures, using cameras and "
            "self-checkout machines.",
            "Between midnight and 5 a.m., customers will unlock the door with a smartphone app. "
            "Alcohol and tobacco will not be sold during those hours, and a remote operator will "
            "be able to talk to customers through a speaker.",
            "The company said it has struggled to fill night shifts and that some owners of "
            "franchise stores work more than 12 hours a day to cover gaps. The trial will run for "
            "six months.",
            "Consumer groups said the chain should make sure elderly customers and those without "
            "smartphones are not left out, and asked how the stores would respond to emergencies "
            "at night.",
        ),
        age=_d(hours=9),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("retail", "labor shortage"),
        caption="A convenience store in Chiba Prefecture at night.",
    ),
    SampleArticle(
        slug="regional-airline-orders-electric-commuter-planes",
        section="business",
        title="Regional airline orders electric commuter planes for island routes",
        summary="A regional airline in western Japan has ordered six small electric planes to "
        "serve short routes between islands in the Seto Inland Sea.",
        paragraphs=(
            "A regional airline based in western Japan has ordered six small electric planes to "
            "serve short routes between islands in the Seto Inland Sea, with the first flights "
            "planned for the end of the decade.",
            "The nine-seat aircraft have a range of about 250 kilometers, enough for most of the "
            "carrier's island hops. The airline said electricity would cost far less than jet "
            "fuel and that maintenance should be simpler.",
            "The company will need approval from transport authorities, which have not yet "
            "certified any electric passenger plane. Airports on the islands will also need "
            "charging equipment.",
            "The airline's president, Masafumi Orihara, said the planes could help keep routes "
            "open as island populations shrink and larger aircraft become too expensive to fly.",
        ),
        age=_d(days=1, hours=8),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("aviation", "environment"),
        caption="An artist's impression of an electric commuter plane.",
        kind="redesign",
    ),
    SampleArticle(
        slug="chipmaker-breaks-ground-on-kumamoto-plant-expansion",
        section="business",
        title="Chipmaker breaks ground on Kumamoto plant expansion",
        summary="A semiconductor maker began construction of a second factory in Kumamoto "
        "Prefecture, backed by government subsidies.",
        paragraphs=(
            "A semiconductor manufacturer began construction of a second factory in Kumamoto "
            "Prefecture on Tuesday, part of a government push to rebuild Japan's chip industry "
            "after decades of decline.",
            "The plant, expected to employ about 1,700 people, will make chips for cars and "
            "industrial machinery. The government has pledged subsidies covering around a third "
            "of the cost of construction.",
            "The first factory, which opened nearby last year, has already driven up land prices "
            "and rents, and local farmers have raised concerns about the amount of groundwater "
            "the plants will use.",
            "The company said it would recharge groundwater by flooding rice paddies during the "
            "off season, under agreements with farming cooperatives in the area, and would "
            "publish monitoring data every quarter.",
        ),
        age=_d(days=2),
        credit="© AFP",
        credit_agency="AFP",
        tags=("semiconductors", "Kumamoto", "industry"),
        caption="A construction site for a semiconductor plant in Kumamoto Prefecture.",
    ),
    SampleArticle(
        slug="sake-brewers-turn-to-rice-flour-sweets-as-domestic-demand-slips",
        section="business",
        title="Sake brewers turn to rice flour sweets as domestic demand slips",
        summary="Small sake breweries in Niigata are selling cakes and cookies made from rice "
        "and sake lees to make up for falling drinks sales.",
        paragraphs=(
            "Small sake breweries in Niigata Prefecture are selling cakes, cookies and ice cream "
            "made with rice flour and sake lees, hoping new products will make up for falling "
            "domestic demand for their drinks.",
            "One brewery in the town of Shirane said sweets now account for nearly a fifth of its "
            "sales, mostly through its online shop. Its sake lees cheesecake sold out within days "
            "of being featured on a cooking program.",
            "Brewers say younger Japanese drink less sake than their parents did, though exports "
            "to the United States and Asia have grown. Sweets also help them use rice left over "
            "from poor harvests.",
        ),
        age=_d(days=3, hours=4),
        credit="© Japan Today",
        credit_agency="JAPANTODAY",
        tags=("sake", "Niigata", "food"),
        caption="Cakes made with sake lees at a brewery shop in Niigata Prefecture.",
    ),
    SampleArticle(
        slug="kyoto-hotel-occupancy-tops-90-percent-in-autumn-season",
        section="business",
        title="Kyoto hotel occupancy tops 90 percent in autumn season",
        summary="Hotel occupancy in Kyoto exceeded 90 percent in November as visitors came to "
        "see the autumn leaves.",
        paragraphs=(
            "Hotel occupancy in Kyoto exceeded 90 percent in November, the highest level for the "
            "month in six years, as domestic and foreign visitors came to see the autumn leaves, "
            "a survey by the city's tourism association showed.",
            "Average room rates rose about 12 percent from a year earlier. Foreign guests made up "
            "more than half of overnight stays for the first time, led by visitors from the "
            "United States, Taiwan and Australia.",
            "The city has asked tour operators to steer groups to less crowded temples and "
            "neighborhoods, and began charging higher bus fares for visitors on some routes to "
            "ease congestion for residents.",
        ),
        age=_d(days=5),
        credit="© Jiji Press",
        credit_agency="JIJI",
        tags=("tourism", "Kyoto", "hotels"),
        caption="Visitors view autumn leaves at a temple garden in Kyoto.",
    ),
    SampleArticle(
        slug="private-railway-to-raise-fares-for-first-time-in-decades",
        section="business",
        title="Private railway to raise fares for first time in decades",
        summary="A private railway serving Tokyo's western suburbs will raise fares by an "
        "average of 9 percent next spring.",
        paragraphs=(
            "A private railway serving Tokyo's western suburbs will raise its fares by an "
            "average of 9 percent next spring, its first increase apart from changes in "
            "consumption tax in more than 30 years.",
            "The company said higher costs for electricity, steel and wages had made it "
            "impossible to maintain services and pay for new platform doors at busy stations "
            "without raising fares.",
            "The basic fare will rise from 140 yen to 160 yen, while commuter passes will go up "
            "by a smaller amount. The transport ministry approved the plan on Friday.",
        ),
        age=_d(days=7),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("railways", "Tokyo", "prices"),
        caption="A commuter train at a station in western Tokyo.",
    ),
    SampleArticle(
        slug="two-regional-banks-win-approval-for-merger",
        section="business",
        title="Two regional banks win approval for merger",
        summary="Japan's antitrust regulator approved the merger of two regional banks in "
        "Tohoku after they agreed to sell some branches.",
        paragraphs=(
            "Japan's antitrust regulator on Wednesday approved the merger of two regional banks "
            "in the Tohoku region, after the lenders agreed to transfer some loans to rival "
            "institutions to preserve competition.",
            "The combined bank will have about 240 branches and total assets of around 9 "
            "trillion yen. Executives said they would close overlapping branches over five years "
            "but keep staff numbers steady through retirements.",
            "Regional banks have been under pressure from years of low interest rates and "
            "shrinking local populations, and the government has encouraged consolidation to "
            "keep them able to lend to small businesses.",
        ),
        age=_d(days=8, hours=20),
        credit="© Reuters",
        credit_agency="REUTERS",
        tags=("banking", "Tohoku", "mergers"),
        caption=None,
    ),
    # ---------------------------------------------------------------- politics
    SampleArticle(
        slug="ruling-coalition-agrees-on-childcare-funding-bill",
        section="politics",
        title="Ruling coalition agrees on childcare funding bill",
        summary="The ruling coalition agreed on a bill to expand childcare allowances, funded "
        "partly by a new levy added to health insurance premiums.",
        paragraphs=(
            "The ruling coalition agreed on Monday on a bill to expand childcare allowances and "
            "free school lunches, funded partly by a new levy added to health insurance premiums "
            "from next fiscal year.",
            "Opposition parties have criticized the levy as a hidden tax increase. The government "
            "says it will be offset by spending cuts elsewhere and will cost most households "
            "only a few hundred yen a month.",
            "The bill is expected to be submitted to parliament next week. Coalition lawmakers "
            "said they hoped to pass it before the end of the current session in December.",
        ),
        age=_d(hours=1, minutes=30),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("childcare", "Diet", "budget"),
        caption="Lawmakers attend a session of the House of Representatives in Tokyo.",
    ),
    SampleArticle(
        slug="lower-house-panel-debates-rules-for-digital-id-cards",
        section="politics",
        title="Lower house panel debates rules for digital ID cards",
        summary="Lawmakers questioned officials over data errors linked to Japan's digital ID "
        "cards during a committee session.",
        paragraphs=(
            "Lawmakers on a lower house committee questioned government officials on Tuesday "
            "over a series of data errors linked to Japan's digital identification cards, "
            "including cases in which health records were attached to the wrong person.",
            "Digital Minister Hideaki Sunagawa told the panel that all known errors had been "
            "corrected and that new checks had been added when local governments register "
            "information.",
            "Opposition members called for people to be allowed to keep paper health insurance "
            "certificates for longer, saying elderly people in particular had struggled with the "
            "switch to the cards.",
        ),
        age=_d(days=4, hours=3),
        credit="© Jiji Press",
        credit_agency="JIJI",
        tags=("digital", "Diet", "privacy"),
        caption=None,
    ),
    # ---------------------------------------------------------------- crime
    SampleArticle(
        slug="man-arrested-over-fake-investment-calls-targeting-elderly",
        section="crime",
        title="Man arrested over fake investment calls targeting elderly",
        summary="Police in Saitama arrested a 34-year-old man on suspicion of cheating elderly "
        "residents out of 28 million yen in a fake investment scheme.",
        paragraphs=(
            "Police in Saitama Prefecture have arrested a 34-year-old man on suspicion of "
            "cheating elderly residents out of a total of 28 million yen by persuading them to "
            "invest in a solar power business that did not exist.",
            "The suspect, identified as Yusuke Hanamori, a company employee from Kawaguchi, is "
            "accused of calling victims while pretending to be a bank employee and asking them to "
            "hand over cash to a courier.",
            "Police said Hanamori has denied the allegations. Investigators believe he was part "
            "of a larger group and are examining records from several mobile phones found in his "
            "apartment.",
            "Police urged older residents to hang up on unexpected calls about investments and to "
            "consult family members or a local police station before handing over money to "
            "anyone.",
        ),
        age=_d(hours=2, minutes=20),
        credit="© Japan Today",
        credit_agency="JAPANTODAY",
        tags=("fraud", "Saitama", "police"),
        caption=None,
    ),
    SampleArticle(
        slug="police-seize-counterfeit-designer-bags-in-nagoya-warehouse",
        section="crime",
        title="Police seize counterfeit designer bags in Nagoya warehouse",
        summary="Aichi police seized about 3,000 counterfeit designer bags and wallets from a "
        "warehouse in Nagoya and arrested two men.",
        paragraphs=(
            "Aichi prefectural police said Friday they had seized about 3,000 counterfeit "
            "designer handbags and wallets from a warehouse in Nagoya and arrested two men on "
            "suspicion of violating trademark law.",
            "The goods, which would have been worth around 400 million yen if genuine, were being "
            "sold through online flea market apps at a fraction of the usual price, police said.",
            "One of the suspects told investigators he had bought the goods from an overseas "
            "supplier and did not know they were fake, police said. The other man has remained "
            "silent during questioning.",
        ),
        age=_d(days=3),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("counterfeit", "Nagoya", "police"),
        caption="Counterfeit bags seized by police are displayed in Nagoya.",
    ),
    # ---------------------------------------------------------------- tech
    SampleArticle(
        slug="home-care-robot-trials-expand-to-nursing-homes",
        section="tech",
        title="Home care robot trials expand to nursing homes",
        summary="A robot that helps carers lift and move elderly residents is being tested at "
        "20 more nursing homes.",
        paragraphs=(
            "A robot designed to help carers lift and move elderly residents between beds and "
            "wheelchairs is being tested at 20 more nursing homes across Japan, as the country "
            "faces a growing shortage of care workers.",
            "The machine, developed by a university spin-off in Sendai, uses soft padded arms "
            "and sensors to adjust its grip to each person. Staff control it with a tablet.",
            "Carers in an earlier trial said the robot reduced back strain but was too slow to "
            "use during busy morning routines. The developers said a faster model would be "
            "tested next year.",
            "The government estimates Japan will need about 570,000 more care workers within a "
            "few years, and has offered subsidies to nursing homes and hospitals that introduce "
            "robots and sensors.",
        ),
        age=_d(hours=6),
        credit="© AFP",
        credit_agency="AFP",
        tags=("robots", "elderly care"),
        caption="A carer demonstrates a lifting robot at a nursing home in Sendai.",
    ),
    # ---------------------------------------------------------------- sports
    SampleArticle(
        slug="high-school-ace-throws-three-straight-complete-games-at-autumn-meet",
        section="sports",
        title="High school ace throws three straight complete games at autumn meet",
        summary="A second-year pitcher from Miyazaki threw three complete games in four days "
        "to lead his school to the regional title.",
        paragraphs=(
            "A second-year pitcher from Miyazaki threw three complete games in four days to lead "
            "his high school to the Kyushu regional title on Sunday, reviving debate over how "
            "much young pitchers should be allowed to throw.",
            "Sota Kurogane threw 412 pitches over the three games, though within the limit of "
            "500 pitches a week set by the national high school baseball federation.",
            "His coach said the player had been examined by a doctor and would not pitch for "
            "three weeks. Some former professional players said the rules should be tightened "
            "further to protect developing arms.",
        ),
        age=_d(days=1, hours=1),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("baseball", "high school", "Miyazaki"),
        caption="A pitcher throws during a regional high school baseball final in Miyazaki.",
    ),
    # ---------------------------------------------------------------- world
    SampleArticle(
        slug="japanese-aid-team-helps-rebuild-schools-after-pacific-cyclone",
        section="world",
        title="Japanese aid team helps rebuild schools after Pacific cyclone",
        summary="Japanese engineers are working with villagers on a South Pacific island to "
        "rebuild schools destroyed by a cyclone.",
        paragraphs=(
            "Engineers from a Japanese aid agency are working alongside villagers on a South "
            "Pacific island to rebuild five schools that were destroyed when a powerful cyclone "
            "swept through the region in March.",
            "The new classrooms are built on raised concrete foundations with roofs strapped to "
            "the walls, a design meant to withstand stronger storms. Local builders are being "
            "trained so they can use the same methods elsewhere.",
            "\"Our children have been studying under tarpaulins for months,\" said a village "
            "elder who helped clear the site. \"Now they will have a roof that stays on.\"",
            "Japan has pledged about 2 billion yen in disaster aid to Pacific island nations this "
            "year, part of efforts to strengthen ties in a region where several powers compete "
            "for influence.",
        ),
        age=_d(days=2, hours=10),
        credit="© AP",
        credit_agency="AP",
        authors=("Martin Kellerman",),
        tags=("aid", "Pacific", "disaster"),
        caption="Villagers and Japanese engineers work on a new school building.",
    ),
    # ---------------------------------------------------------------- entertainment
    SampleArticle(
        slug="animated-film-about-lighthouse-keeper-tops-box-office",
        section="entertainment",
        title="Animated film about lighthouse keeper tops box office",
        summary="An animated film about an elderly lighthouse keeper and a runaway girl topped "
        "the Japanese box office for a third weekend.",
        paragraphs=(
            "An animated film about an elderly lighthouse keeper and a girl who runs away from "
            "home topped the Japanese box office for a third straight weekend, earning about 1.5 "
            "billion yen so far.",
            "The film, directed by Nanami Tsukishiro in her feature debut, is set on a small "
            "island off the coast of Shimane Prefecture. Fans have begun visiting a real "
            "lighthouse in the area that resembles the one in the story.",
            "Distributors said the film would open in cinemas in Europe and North America next "
            "spring, with English subtitles and a dubbed version featuring a cast that has not yet "
            "been announced.",
        ),
        age=_d(days=1, hours=18),
        credit="© AFP",
        credit_agency="AFP",
        tags=("anime", "film", "box office"),
        caption="Moviegoers line up for an animated film at a cinema in Tokyo.",
    ),
]
