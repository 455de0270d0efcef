"""`cmhub publish` and `cmhub interactions`: post due teasers to the open networks exactly once, and
bring the conversation back to the article (POSSE and backfeed).

- ``due``: which teasers are due, from plan.lock, and the rules at posting time;
- ``http``: the one transport (standard library), with credentials redacted from every error;
- ``mastodon``, ``bluesky``: one client per network;
- ``run``: a publishing run (lock, rules, posting, ledger);
- ``fetch``: `cmhub interactions`, which brings replies and counts home.

The files these runs keep, which builds read too, are in cmhub.ledgers: posts.lock (``posts_lock``,
written after each accepted post), interactions.jsonl, replies.jsonl and the hide list
(``conversation``, ``sanitize``), and what a build shows of them (``backfeed``). The click commands
are in cmhub.cli.publish.
"""
