"""NHK NEWS WEB EASY (www3.nhk.or.jp/news/easy): news in simple Japanese for learners.

Checked on real markup (the corpus page of 2019-06-24): title `h1.article-main__title` with ruby
readings (printed above the text, without brackets, so they are left out of the plain text);
the date is printed without a year ("[06月24日 11時30分]"), which the page's body id carries
("news20190624_…"); body `div#js-article-body`.
"""

import copy
import re

from crawler.parsers.base import ArticlePage, Selectors, element_text


class NhkEasy2019(ArticlePage):
    selectors = Selectors(
        title=("h1.article-main__title",),
        body=("div#js-article-body",),
        drop=(".article-main__tools", ".article-share"),
    )
    prefer_selectors = frozenset({"title"})

    def title(self):  # the <h1>, ruby readings left out
        nodes = self.select(self.selectors.title)
        if nodes:
            node = copy.deepcopy(nodes[0])
            for rt in node.iter("rt"):
                rt.text = ""
            self.provenance["title"] = "selectors"
            return element_text(node)
        return super().title()

    def published(self) -> str | None:
        printed = self.select_text(("#js-article-date", ".article-main__date"))
        year = re.search(r"news(\d{4})\d{4}", self.tree.find("body").get("id", "")) \
            if self.tree.find("body") is not None else None
        if printed and year:
            self.provenance["published"] = "selectors"
            return f"{year.group(1)}年{printed.strip('[] ')}"
        return super().published()
