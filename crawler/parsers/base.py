"""The generic article page: structured data, then an outlet's selectors, then trafilatura.

A page object in the web-poet sense: built from (url, html, crawl time) alone, one method per
field, no crawler. Each field tries its layers in order and records which one answered, so a
redesign that silently breaks an outlet's selectors shows up as a shift in the layer statistics
instead of as garbage. An outlet parser is a subclass that fills `selectors` and overrides the
odd field; everything else, including the fallbacks, lives here once.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

import jstyleson
import lxml.etree
import lxml.html
from extruct.w3cmicrodata import LxmlMicrodataExtractor
from lxml.cssselect import CSSSelector

from crawler.html import parse_html
from crawler.items import RawArticle
from crawler.sources import Source
from crawler.text import clean_inline, split_byline, unescape_entities, without_role

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "Report",
    "LiveBlogPosting", "ScholarlyArticle", "TechArticle", "SocialMediaPosting", "Posting",
})
ARTICLE_OG_TYPES = frozenset({"article", "news", "newsarticle", "blog", "post"})

# Elements whose text is never article text, wherever they sit inside a body container.
_DROP_TAGS = ("script", "style", "noscript", "figure", "figcaption", "aside", "iframe", "form",
              "button", "nav", "footer", "header", "svg", "video", "audio", "template", "select",
              "input", "textarea", "object", "embed")
_DROP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|advert\w*|s10r|sponsor\w*|share\w*|social|sns|related|recommend\w*|"
    r"comment\w*|caption|credit-photo|photo-credit|newsletter|subscribe|promo|banner|outbrain|"
    r"taboola|breadcrumbs?|tags?|byline|paywall-prompt|read-more|more-articles)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd",
                         "dt", "tr"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "ul", "ol", "dl", "table",
                             "tbody", "thead", "span", "font", "center"})

Layer = tuple[str, Callable[[], Any]]
_PLACEHOLDER_NAMES = frozenset({"no author", "admin", "administrator", "staff", "editor",
                                "unknown", "anonymous", "webmaster"})


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of an outlet's own markup; an empty tuple means "no rule for this field"."""

    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    """Elements inside the body that are the outlet's widgets (ads, share bars, captions)."""
    paywall: tuple[str, ...] = ()
    """Elements that only a subscriber-only article carries (its "read on as a member" box)."""


def css(selector: str) -> Callable[[lxml.html.HtmlElement], list[Any]]:
    """Compiled selector, cached: outlet parsers run the same few selectors on every page.

    CSS by default; a selector starting with "/" or "(" is XPath, for what CSS cannot say
    (an element by its children, where class names are generated and change every build).
    """
    compiled = _CSS_CACHE.get(selector)
    if compiled is None:
        compiled = _CSS_CACHE[selector] = (
            lxml.etree.XPath(selector) if selector.startswith(("/", "("))
            else CSSSelector(selector, translator="html"))
    return compiled


_CSS_CACHE: dict[str, Callable[[lxml.html.HtmlElement], list[Any]]] = {}


class _FieldMicrodata(LxmlMicrodataExtractor):
    """extruct's microdata reader without the text of the body properties.

    extruct gives every property its text, and the text of `articleBody` is the whole article:
    a cleaned copy of the body subtree and its text, the body's second extraction, costlier
    than our own. No field reads that value (the body is read from the element itself,
    `body_elements`), so it is left empty; the property stays, so the item looks the same.
    """

    UNREAD = frozenset({"articleBody", "text"})

    def _extract_property(self, node: lxml.html.HtmlElement, items_seen: set[Any],
                          base_url: str, itemids: dict[Any, int]) -> list[tuple[str, Any]]:
        names = node.get("itemprop").split()
        if node.get("itemscope") is None and self.UNREAD.issuperset(names):
            return [(name, "") for name in names]
        return super()._extract_property(node, items_seen=items_seen, base_url=base_url,
                                         itemids=itemids)


_COMMENT_LINE = re.compile(r"^\s*(?://.*|<!--.*-->)", re.M)


def jsonld_items(tree: lxml.html.HtmlElement) -> Iterator[Any]:
    """Every JSON-LD object of a page, each block parsed on its own: one broken block (an empty
    comment, a truncated breadcrumb) must not hide the article block beside it."""
    for node in tree.xpath('//script[translate(@type, "LDJSON", "ldjson")="application/ld+json"]'):
        text = node.text_content()
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            try:  # comments and trailing commas, as extruct tolerates them
                data = jstyleson.loads(_COMMENT_LINE.sub("", text), strict=False)
            except (ValueError, RecursionError, TypeError):
                continue
        except RecursionError:
            continue
        data = unescape_strings(data)
        yield from data if isinstance(data, list) else [data]


def unescape_strings(value: Any) -> Any:
    """`value` with the HTML entities of every string in it decoded, as a search engine reads
    structured data: "\\u0026quot;" in JSON-LD is an escaped quote, not text."""
    if isinstance(value, str):
        return unescape_entities(value)
    if isinstance(value, list):
        return [unescape_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape_strings(v) for k, v in value.items()}
    return value


def element_text(element: lxml.html.HtmlElement) -> str:
    return clean_inline(element.text_content())


def element_paragraphs(element: lxml.html.HtmlElement, drop: Iterable[str] = ()) -> list[str]:
    """Paragraph texts of a body container, without widgets, captions and scripts.

    Works on a copy: the caller's tree stays whole for the other fields.
    """
    root = copy.deepcopy(element)
    doomed = list(root.iter(*_DROP_TAGS))
    # Furigana printed in brackets (<rp>) stay, as printed; bare ruby readings would run into
    # the text ("普通ふつう"), so they go.
    doomed += [rt for rt in root.iter("rt") if rt.getparent() is not None
               and not rt.getparent().findall("rp")]
    for selector in drop:
        doomed.extend(css(selector)(root))
    for node in root.iter():
        if isinstance(node.tag, str) and node is not root and _DROP_CLASS.search(
                f"{node.get('class', '')} {node.get('id', '')}"):
            doomed.append(node)
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            node.drop_tree()
    return [p for p in _blocks(root) if p]


def _blocks(element: lxml.html.HtmlElement) -> list[str]:
    """Text of each block; loose text between blocks and <br><br> breaks become paragraphs too."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        text = clean_inline("".join(pending))
        if text:
            out.append(text)
        pending.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.text:
            pending.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS and not any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS
                                              for d in child.iterdescendants()):
                flush()
                if not _only_a_link(child):
                    out.append(clean_inline(child.text_content()))
            elif tag in _BLOCK_TAGS or tag in _CONTAINER_TAGS and tag != "span":
                flush()
                walk(child)
                flush()
            elif tag == "br":
                if child.getnext() is not None and child.getnext().tag == "br":
                    flush()
                else:
                    pending.append(" ")
            elif tag:
                pending.append(child.text_content())
            if child.tail:
                pending.append(child.tail)

    walk(element)
    flush()
    return [p for p in out if p]


def _only_a_link(block: lxml.html.HtmlElement) -> bool:
    """A short paragraph that is nothing but a link: a "related" item, not text."""
    text = clean_inline(block.text_content())
    if not text or len(text) > 200 or text.startswith("("):  # "(Read the article in Japanese.)"
        return False
    linked = "".join(clean_inline(a.text_content()) for a in block.iter("a"))
    return linked.replace(" ", "") == text.replace(" ", "")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _type_names(value: Any) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in _as_list(value)}


def _names(value: Any) -> list[tuple[str, str]]:
    """(name, type) pairs of a schema.org author/creator value in any of its shapes."""
    out: list[tuple[str, str]] = []
    for item in _as_list(value):
        if isinstance(item, str):
            out.append((item, "Person"))
        elif isinstance(item, dict):
            props = item.get("properties", item)
            name = props.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str):
                kind = _type_names(item.get("@type") or item.get("type") or "Person")
                out.append((name, "Organization" if kind & {"Organization", "NewsMediaOrganization"}
                            else "Person"))
    return out


class ArticlePage:
    """Extraction of one article page; subclasses declare an outlet's selectors."""

    selectors: ClassVar[Selectors] = Selectors()
    prefer_selectors: ClassVar[frozenset[str]] = frozenset()
    """Fields for which the outlet's own markup is more right than its structured data (a
    printed byline over the CMS user that JSON-LD names, for instance)."""

    def __init__(self, url: str, html: str, crawled_at: datetime,
                 source: Source | None = None) -> None:
        self.url = url
        self.html = html
        self.crawled_at = crawled_at
        self.source = source
        self.tree = parse_html(html)
        self.provenance: dict[str, str] = {}

    # ---- structured data, read once -------------------------------------------------------

    @cached_property
    def jsonld(self) -> dict[str, Any]:
        """The page's JSON-LD article object (the first of an article type), or {}."""
        queue: list[Any] = list(jsonld_items(self.tree))
        while queue:
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            if _type_names(item.get("@type")) & ARTICLE_TYPES:
                return item
            queue.extend(_as_list(item.get("@graph")))
            main = item.get("mainEntity")
            if isinstance(main, dict):
                queue.append(main)
        return {}

    @cached_property
    def microdata(self) -> dict[str, Any]:
        """Properties of the page's microdata article item, or {}."""
        if not self.tree.xpath("//*[@itemscope][1]"):
            return {}
        try:
            items = _FieldMicrodata().extract_items(self.tree, self.url)
        except (ValueError, TypeError):
            return {}
        for item in items:
            if _type_names(item.get("type")) & ARTICLE_TYPES:
                return unescape_strings(item.get("properties", {}))
        return {}

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """<meta property|name=...> values by lower-cased key, in page order, entities decoded
        (the parser decodes one level; CMSs often escape twice)."""
        out: dict[str, list[str]] = {}
        for node in self.tree.iter("meta"):
            key = node.get("property") or node.get("name") or node.get("itemprop")
            content = node.get("content")
            if key and content and content.strip():
                out.setdefault(key.strip().lower(), []).append(
                    unescape_entities(content.strip()))
        return out

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return None

    @cached_property
    def generic(self) -> dict[str, Any]:
        """trafilatura's reading of the page: the costly last resort, computed at most once."""
        import trafilatura

        # trafilatura prunes the tree it is given: hand it a copy, the other fields read ours.
        # Its metadata pass would cost five times the body's; only the body is asked of it.
        document = trafilatura.bare_extraction(
            copy.deepcopy(self.tree), url=self.url, with_metadata=False, include_comments=False,
            include_tables=False, include_images=False)
        if document is None:
            return {}
        return document.as_dict() if hasattr(document, "as_dict") else dict(document)

    def select(self, selectors: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
        for selector in selectors:
            found = css(selector)(self.tree)
            if found:
                return found
        return []

    def select_text(self, selectors: tuple[str, ...]) -> str | None:
        found = self.select(selectors)
        text = element_text(found[0]) if found else ""
        return text or None

    def select_attr_or_text(self, selectors: tuple[str, ...],
                            attrs: tuple[str, ...] = ("datetime", "content")) -> str | None:
        for node in self.select(selectors):
            for attr in attrs:
                if node.get(attr):
                    return node.get(attr).strip()
            text = element_text(node)
            if text:
                return text
        return None

    # ---- layered resolution -----------------------------------------------------------------

    def first(self, field_name: str, layers: list[Layer]) -> Any:
        """The first layer's non-empty answer; records the layer in `provenance`."""
        if field_name in self.prefer_selectors:
            layers = sorted(layers, key=lambda layer: layer[0] != "selectors")
        for layer, produce in layers:
            value = produce()
            if value not in (None, "", [], {}):
                self.provenance[field_name] = layer
                return value
        return None

    # ---- fields -----------------------------------------------------------------------------

    def title(self) -> str | None:
        return self.first("title", [
            ("jsonld", lambda: _str(self.jsonld.get("headline") or self.jsonld.get("name"))),
            ("microdata", lambda: _str(self.microdata.get("headline"))),
            ("meta", lambda: self.meta_first("og:title", "twitter:title")),
            ("selectors", lambda: self.select_text(self.selectors.title)),
            ("generic", self._html_title),
        ])

    def _html_title(self) -> str | None:
        h1 = self.tree.xpath("//h1")
        if h1 and element_text(h1[0]):
            return element_text(h1[0])
        node = self.tree.find(".//title")
        return element_text(node) if node is not None else None

    def body_elements(self) -> list[lxml.html.HtmlElement]:
        """The containers the page marks as its body, by microdata or the outlet's selectors.

        Some outlets mark every paragraph as an articleBody (Yomiuri), so all of them count, in
        page order, without the ones nested in another.
        """
        found = self.tree.xpath('//*[@itemprop="articleBody"]'
                                '[not(ancestor::*[@itemprop="articleBody"])]')
        self._body_layer = "microdata"
        if not found:
            found = self.select(self.selectors.body)
            self._body_layer = "selectors"
        return [node for node in found
                if not any(other in found for other in node.iterancestors())]

    def paragraphs(self) -> list[str]:
        """Body paragraphs. A marked container that is empty means an empty body: the generic
        layer is only asked when the page marks no body at all, so it cannot pass off comments
        or related lists as the text of a page that has none."""
        containers = self.body_elements()
        if containers:
            paragraphs = [p for node in containers
                          for p in element_paragraphs(node, self.selectors.drop)]
            if paragraphs:
                self.provenance["body"] = self._body_layer
            return paragraphs
        # JSON-LD articleBody is often a teaser (and has no paragraphs): it stands in only when
        # trafilatura finds nothing like as much.
        declared = _split_lines(_str(self.jsonld.get("articleBody")))
        found = _split_lines(self.generic.get("text"))
        if declared and sum(map(len, found)) < 0.5 * sum(map(len, declared)):
            self.provenance["body"] = "jsonld"
            return declared
        return self.first("body", [("generic", lambda: found)]) or []

    def summary(self) -> str | None:
        return self.first("summary", [
            ("jsonld", lambda: _str(self.jsonld.get("description"))),
            ("microdata", lambda: _str(self.microdata.get("description"))),
            ("meta", lambda: self.meta_first("og:description", "description",
                                             "twitter:description")),
        ])

    def published(self) -> str | None:
        return self.first("published", [
            ("jsonld", lambda: _str(self.jsonld.get("datePublished")
                                    or self.jsonld.get("dateCreated"))),
            ("microdata", lambda: _str(self.microdata.get("datePublished"))),
            ("meta", lambda: self.meta_first(
                "article:published_time", "og:published_time", "datepublished",
                "date", "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.created",
                "parsely-pub-date", "sailthru.date", "cxenseparse:recs:publishtime")),
            ("selectors", lambda: self.select_attr_or_text(self.selectors.published)),
            ("generic", self._generic_date),
        ])

    def _generic_date(self) -> str | None:
        from htmldate import find_date

        try:
            return find_date(self.tree, url=self.url, original_date=True, extensive_search=False,
                             outputformat="%Y-%m-%dT%H:%M:%S")
        except (ValueError, TypeError):
            return None

    def modified(self) -> str | None:
        return self.first("modified", [
            ("jsonld", lambda: _str(self.jsonld.get("dateModified"))),
            ("microdata", lambda: _str(self.microdata.get("dateModified"))),
            ("meta", lambda: self.meta_first("article:modified_time", "og:updated_time",
                                             "datemodified", "last-modified")),
            ("selectors", lambda: self.select_attr_or_text(self.selectors.modified)),
        ])

    def authors(self) -> list[str]:
        return self.first("authors", [
            ("jsonld", lambda: self._people(self.jsonld.get("author"))),
            ("microdata", lambda: self._people(self.microdata.get("author"))),
            ("meta", lambda: self._people(
                [a for a in self.meta.get("author", []) + self.meta.get("article:author", [])
                 if not a.startswith("http")])),
            ("selectors", lambda: self._people(
                [name for n in self.select(self.selectors.authors)
                 for name in split_byline(element_text(n))])),
        ]) or []

    def _people(self, value: Any) -> list[str]:
        """Bylines as the page states them: people, or a desk such as "読売新聞オンライン"; the
        outlet naming itself in its own name is not a byline."""
        own = {self.source.name.lower(), *(n.lower() for n in self.source.aliases)} \
            if self.source else set()
        names: list[str] = []
        for name, _kind in _names(value):
            name = without_role(re.sub(r"^(?:by|written by)\s+", "", clean_inline(name),
                                       flags=re.I))
            if name and name.lower() not in own and name.lower() not in _PLACEHOLDER_NAMES \
                    and name not in names:
                names.append(name)
        return names

    def section(self) -> str | None:
        return self.first("section", [
            ("jsonld", lambda: _str(self.jsonld.get("articleSection"))),
            ("meta", lambda: self.meta_first("article:section")),
            ("selectors", lambda: self.select_text(self.selectors.section)),
        ])

    def tags(self) -> list[str]:
        return self.first("tags", [
            ("jsonld", lambda: _keywords(self.jsonld.get("keywords"))),
            ("meta", lambda: [t for t in self.meta.get("article:tag", []) if t]
             or _keywords(self.meta_first("news_keywords"))),
            ("selectors", lambda: [element_text(n) for n in self.select(self.selectors.tags)]),
        ]) or []

    def image_url(self) -> str | None:
        return self.first("image_url", [
            ("jsonld", lambda: _image(self.jsonld.get("image"))),
            ("meta", lambda: self.meta_first("og:image", "twitter:image", "twitter:image:src")),
            ("microdata", lambda: _image(self.microdata.get("image"))),
            ("selectors", lambda: next((n.get("src") for n in self.select(self.selectors.image)
                                        if n.get("src")), None)),
        ])

    def canonical_url(self) -> str | None:
        for node in self.tree.iter("link"):
            if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
                return node.get("href").strip()
        return self.meta_first("og:url")

    def language(self) -> str | None:
        return (self.tree.get("lang") or self.meta_first("content-language", "og:locale")
                or _str(self.jsonld.get("inLanguage")))

    def credit(self) -> str | None:
        return self.first("credit", [("selectors", lambda: self.select_text(
            self.selectors.credit))])

    def site_name(self) -> str | None:
        publisher = self.jsonld.get("publisher")
        names = _names(publisher)
        return self.meta_first("og:site_name", "application-name") or (
            names[0][0] if names else None)

    def paywalled(self) -> bool:
        free = self.jsonld.get("isAccessibleForFree")
        if str(free).lower() == "false":
            return True
        return bool(self.select(self.selectors.paywall))

    def page_type(self) -> str | None:
        if self.jsonld:
            return "article"
        og = (self.meta_first("og:type") or "").lower()
        if og:
            return "article" if og in ARTICLE_OG_TYPES else og
        if self.microdata:
            return "article"
        return None

    def to_raw(self) -> RawArticle:
        source = self.source
        return RawArticle(
            url=self.url,
            source=source.id if source else None,
            crawled_at=self.crawled_at,
            title=self.title(),
            paragraphs=self.paragraphs(),
            summary=self.summary(),
            published=self.published(),
            modified=self.modified(),
            authors=self.authors(),
            section=self.section(),
            tags=self.tags(),
            language=self.language(),
            image_url=self.image_url(),
            canonical_url=self.canonical_url(),
            credit=self.credit(),
            site_name=self.site_name(),
            page_type=self.page_type(),
            paywalled=self.paywalled(),
            provenance={**self.provenance, "parser": type(self).__name__},
            timezone=source.timezone if source else "UTC",
        )


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str):
        if "<" in value:  # some CMSs put markup into JSON-LD strings
            with contextlib.suppress(lxml.etree.ParserError, ValueError):
                value = lxml.html.fromstring(value).text_content()
        return clean_inline(value) or None
    return None


def _split_lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [line for line in (clean_inline(x) for x in re.split(r"\n+", text)) if line]


def _keywords(value: Any) -> list[str]:
    out: list[str] = []
    for item in _as_list(value):
        if isinstance(item, str):
            out.extend(k.strip() for k in item.split(",") if k.strip())
    return out


def _image(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            props = item.get("properties", item)
            url = props.get("url") or props.get("contentUrl")
            if isinstance(url, str) and url.strip():
                return url.strip()
    return None

