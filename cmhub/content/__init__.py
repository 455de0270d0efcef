"""The hub as data: articles read from content/ into frozen models, their terms, digests and durable URLs."""
