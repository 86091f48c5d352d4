"""Only for `scrapyd-deploy`, which builds the Scrapyd egg with `python setup.py bdist_egg` and
would otherwise write a setup.py of its own that packs every folder under another name. All the
packaging, the `scrapy` entry point Scrapyd reads the settings module from included, is in
pyproject.toml."""

from setuptools import setup

setup()
