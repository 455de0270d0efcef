"""The search index: Pagefind's files, made from the published article pages."""
