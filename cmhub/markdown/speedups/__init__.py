"""Python-Markdown's own processors and serializer, made faster and proven byte-identical (tests/markdown/)."""
