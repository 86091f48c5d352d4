"""Credit lines: find the closing "© KYODO" of an article and name the agency behind it."""

from __future__ import annotations

import re

_CREDIT_LINE = re.compile(
    r"^(?:©|\(c\)|copyright\b)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<who>[^©]{1,80}?)[\s.]*$"
    r"|^(?:[—–-]{1,2}|={2})\s*(?P<dash>[A-Za-z .]{2,30})$"
    r"|^\((?P<paren>Kyodo|Jiji|AFP|Reuters|AP|Jiji Press)\)$"
    r"|^(?:sources?|photos?\s*©|images?\s*©)\s*:?\s*(?P<source>.{2,80})$",
    re.I,
)

# Ordered: the first pattern that matches names the agency ("© Japan Today/Kyodo" is KYODO).
AGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern, re.I))
    for code, pattern in (
        # Japan Today prints AFP stories that Jiji distributes as "© AFP-JIJI": AFP wrote it.
        ("AFP", r"\bafp-jiji\b"),
        ("KYODO", r"\bkyodo\b|共同"),
        ("JIJI", r"\bjiji\b|時事"),
        ("AFP", r"\bafp\b|agence france[- ]presse"),
        ("REUTERS", r"\breuters\b|ロイター"),
        ("AP", r"\bap\b|associated press"),
        ("BLOOMBERG", r"\bbloomberg\b"),
        ("XINHUA", r"\bxinhua\b"),
        ("YONHAP", r"\byonhap\b"),
        ("DPA", r"\bdpa\b"),
        ("JAPANTODAY", r"japan ?today|gplus ?media"),
        ("JAPANNEWS", r"the japan news"),
        ("YOMIURI", r"yomiuri|読売"),
        ("JAPANTIMES", r"japan times"),
        ("MAINICHI", r"mainichi|毎日"),
        ("ASAHI", r"asahi|朝日"),
        ("NIKKEI", r"nikkei|日本経済新聞|日経"),
        ("NHK", r"\bnhk\b"),
        ("NIPPONCOM", r"nippon\.com"),
        ("SORANEWS24", r"soranews24|rocketnews24"),
        ("JAPANFORWARD", r"japan forward"),
        ("SANKEI", r"sankei|産経"),
        ("TOKYOSHIMBUN", r"tokyo shimbun|東京新聞"),
    )
)


def is_credit_line(paragraph: str) -> bool:
    if len(paragraph) > 90:
        return False
    match = _CREDIT_LINE.match(paragraph.strip().strip("[]").strip())
    if not match:
        return False
    if match["dash"] is not None:
        return agency_code(match["dash"]) is not None
    if match["source"] is not None:
        return True
    if match["who"] is not None and not paragraph.lstrip("[ ").startswith("©"):
        # "(c)" and "Copyright" also open ordinary sentences: ask for a year or a known name.
        return bool(re.search(r"\d{4}", paragraph)) or agency_code(match["who"]) is not None
    return True


def agency_code(credit: str | None) -> str | None:
    """Normalised code of the agency a credit line names, or None when it names none we know."""
    if not credit:
        return None
    for code, pattern in AGENCIES:
        if pattern.search(credit):
            return code
    return None


def split_credit(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Take credit lines off the end of the body; the last one printed is the article's credit.

    Only the closing paragraphs are looked at: a "©" inside the text is text.
    """
    body = list(paragraphs)
    credit: str | None = None
    while body and is_credit_line(body[-1]):
        line = body.pop()
        credit = credit or line
    return body, credit
