"""``cmhub report``: goals and KPI reports from the networks' and analytics' own export files.

The package reads export files (``readers``: one module per family of formats, ``detect`` to tell
them apart by their content), joins their rows to the hub's articles and teasers (``join``),
reconciles what several files say about the same thing (``facts``), measures goals (their
``site.yml`` section is read by cmhub.settings.goals; ``progress`` tells where they stand) and writes
the report for people (``html``, in the words of ``strings``) and for tools (``data``). ``command``
is the one entry point the CLI calls.
"""
