"""SoraNews24 (soranews24.com, WordPress).

Not checked on a real page (none is available offline); WordPress conventions: `h1.entry-title`,
`div.entry-content`, Yoast JSON-LD graph with the Article and its author. The closing
"Source:", "Top image:" and "Insert images:" lines are attributions, not text.
"""

import lxml.html

from crawler.parsers.base import ArticlePage, Selectors, element_text


class SoraNews2020(ArticlePage):
    selectors = Selectors(
        title=("h1.entry-title", "h1"),
        body=("div.entry-content",),
        published=("time.entry-date[datetime]",),
        authors=(".entry-author a", "a[rel=author]"),
        drop=(".sharedaddy", ".jp-relatedposts", ".wp-caption-text", ".related-posts",
              "//p[starts-with(normalize-space(.), 'Source:')]",
              "//p[strong[contains(translate(., 'I', 'i'), 'information')]]",
              "//p[starts-with(normalize-space(.), 'Top image:')]",
              "//p[starts-with(normalize-space(.), 'Insert image')]",
              "//p[starts-with(normalize-space(.), '●')]",
              "//p[contains(., 'Follow SoraNews24')]",
              "//p[contains(., 'Read in Japanese')]"),
    )

    def credit(self) -> str | None:
        """The closing "Source: …" (or "Photos ©…") line names where a story came from."""
        for node in self.select(("div.entry-content p",)):
            text = element_text(node)
            if text.startswith(("Source:", "Photos ©", "Images ©")):  # first line: image
                # credits and the follow-us line come after a <br>
                first = lxml.html.tostring(node, encoding="unicode").split("<br", 1)[0]
                self.provenance["credit"] = "selectors"
                return element_text(lxml.html.fragment_fromstring(first, create_parent="p"))
        return super().credit()
