"""`cmhub import`: bring posts home from Instagram, Facebook, WordPress and feeds.

Each source module reads one kind of export into ``Item``s (cmhub.imports.model); the shared
modules then filter them (curation), give each one a free file name (planning), turn it into an
article with its media (compose), and write everything at once (staging), keeping the import record
(record) that makes a second run add only what is new and never overwrite an edited article.
``cmhub.imports.run.import_export`` is the one entry point; the click group is cmhub.cli.imports.
"""
