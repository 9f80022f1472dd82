"""The baseline for benchmarks/crawl_speed.py: fetch every page of the site, follow links,
extract nothing. Its cost is what Scrapy itself charges per page."""

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_url = start

    async def start(self):
        yield scrapy.Request(self.start_url)

    def parse(self, response):
        for href in response.xpath("//a/@href").getall():
            if href.startswith(("/berita/a", "/indeks/")):
                yield response.follow(href, self.parse)
