"""The default knowledge base (files in this folder) and the loaders that validate them."""

from knowledge.loaders import PACKAGE_DIR, Article, load_articles, load_documents, load_faq

__all__ = ["PACKAGE_DIR", "Article", "load_articles", "load_documents", "load_faq"]
