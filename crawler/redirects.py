"""Redirects of an outlet's pages: followed within the outlet only, and every one that is not
followed counted.

Scrapy's RedirectMiddleware follows any Location. On a mirror (spiders/base.py) the spider sets
no allowed_domains, so an off-site target was fetched and stored under the outlet URL the
request carried; with allowed_domains set, the off-site filter dropped it without a word. A
redirect loop ended in the duplicate filter, silently too. Here a redirect is followed only to
the outlet's hosts or its mirror; the request it makes carries the outlet URL of its target (the
page's identity is where it now lives), and a redirect that is not followed ends its request
with `Unfollowed`, which the spider's errback counts (crawler/outcome.py): an off-site target,
a loop, too many hops, or an article this crawl requests anyway (merged, not a failure).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import (
    BaseRedirectMiddleware,
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
from scrapy.exceptions import IgnoreRequest

from crawler.outcome import Unfollowed
from spiders.base import NewsSpider

OFF_SITE = "off-site redirect"
LOOP = "redirect loop"
TOO_MANY = "too many redirects"


class OutletRule(BaseRedirectMiddleware):
    """The rule of both kinds of redirect; other spiders than the outlets' are redirected as
    Scrapy does."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        spider = self.crawler.spider
        if not isinstance(spider, NewsSpider):
            return super()._redirect(redirected, request, reason)
        public = spider.public_of(redirected.url)
        if public is None:
            raise Unfollowed(OFF_SITE, redirected.url)
        fetch = spider.to_fetch(public)
        if fetch in (*request.meta.get("redirect_urls", ()), request.url):
            raise Unfollowed(LOOP, public)
        try:
            followed = super()._redirect(redirected.replace(url=fetch), request, reason)
        except IgnoreRequest:
            raise Unfollowed(TOO_MANY, public) from None
        if followed.meta.get("jpnews_kind") == "article" and \
                not spider.policy.redirected(request.meta.get("public_url", request.url), public):
            raise Unfollowed("redirected to an article listed too", public, merged=True)
        followed.meta["public_url"] = public
        # The duplicate filter would drop a hop it has seen without a trace: the chain check
        # above and the fetch policy stand in for it.
        return followed.replace(dont_filter=True)


class OutletRedirects(OutletRule, RedirectMiddleware):
    """HTTP 301/302/303/307/308: replaces Scrapy's RedirectMiddleware (crawler/settings.py)."""


class OutletMetaRefresh(OutletRule, MetaRefreshMiddleware):
    """<meta http-equiv="refresh">: replaces Scrapy's MetaRefreshMiddleware."""
