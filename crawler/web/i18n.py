"""Interface text of the search page in English and Indonesian (the reference page's
language), and the choice between them: `?hl=` first, then the browser's Accept-Language."""

from __future__ import annotations

from crawler.present import LANGUAGES

DEFAULT = "en"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Search news",
        "placeholder": "Search Japanese news",
        "tip": 'Put words in double quotes to match them exactly: "heavy rain". '
               "-word leaves a word out, OR allows either word.",
        "search": "Search",
        "window": "Time",
        "any": "Any time", "24h": "Past 24 hours", "1w": "Past week", "1m": "Past month",
        "1y": "Not older than 1 year",
        "group": "Sources", "all_groups": "All sources",
        "outlets": "Outlets", "all_outlets": "All outlets of the group",
        "sort": "Order", "relevance": "Most relevant", "newest": "Newest",
        "results": "{n} results", "one_result": "1 result",
        "articles": "{n} articles", "no_results": "No news matches your search.",
        "more_outlets": "{n} more outlets", "one_more_outlet": "1 more outlet",
        "editor_note": "Editor's note", "previous": "Previous", "next": "Next",
        "per_day": "Matches per day", "language": "Bahasa Indonesia", "other_hl": "id",
        "took": "{ms} ms",
    },
    "id": {
        "title": "Cari Berita",
        "placeholder": "Cari berita Jepang",
        "tip": 'Gunakan tanda kutip ganda untuk kata yang persis sama: "hujan lebat". '
               "-kata untuk mengecualikan, OR untuk salah satu kata.",
        "search": "Cari",
        "window": "Waktu",
        "any": "Kapan saja", "24h": "24 jam terakhir", "1w": "Seminggu terakhir",
        "1m": "Sebulan terakhir", "1y": "Maksimal 1 tahun yang lalu",
        "group": "Sumber", "all_groups": "Semua sumber",
        "outlets": "Media", "all_outlets": "Semua media dalam grup",
        "sort": "Urutan", "relevance": "Paling relevan", "newest": "Terbaru",
        "results": "{n} hasil", "one_result": "1 hasil",
        "articles": "{n} artikel", "no_results": "Tidak ada berita yang cocok.",
        "more_outlets": "{n} media lain", "one_more_outlet": "1 media lain",
        "editor_note": "Catatan editor", "previous": "Sebelumnya", "next": "Berikutnya",
        "per_day": "Hasil per hari", "language": "English", "other_hl": "en",
        "took": "{ms} md",
    },
}

GROUP_NAMES = {
    "en": {"media-jepang": "Japanese media"},
    "id": {"media-jepang": "Media Jepang"},
}

assert set(TEXT) == set(LANGUAGES)


def choose(hl: str | None, accept_language: str | None) -> str:
    """`hl` when it names a language we have, else the best of Accept-Language, else English."""
    if hl and hl.lower() in TEXT:
        return hl.lower()
    ranked: list[tuple[float, str]] = []
    for item in (accept_language or "").split(","):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.split("-")[0].lower()
        if primary in TEXT:
            ranked.append((quality, primary))
    return max(ranked, default=(0.0, DEFAULT), key=lambda r: r[0])[1]


def group_name(group: str, lang: str) -> str:
    return GROUP_NAMES.get(lang, {}).get(group, group)
