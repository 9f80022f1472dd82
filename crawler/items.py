"""Scrapy item built from the shared schema, so feed exports list every field."""

import scrapy

from pantau.schema import ITEM_FIELDS

ArticleItem = type(
    "ArticleItem",
    (scrapy.Item,),
    {name: scrapy.Field() for name in ITEM_FIELDS},
)
