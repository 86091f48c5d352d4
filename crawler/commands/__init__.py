"""Scrapy commands of the project (COMMANDS_MODULE), in place of Scrapy's own of the same name."""
