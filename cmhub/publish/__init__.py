"""`cmhub publish` and `cmhub interactions`: post due teasers to the open networks exactly once, and
bring the conversation back to the article (POSSE and backfeed).

- ``ledger``: posts.lock, what was posted (or missed), written after each accepted post;
- ``due``: which teasers are due, from plan.lock, and the rules at posting time;
- ``http``: the one transport (standard library), with credentials redacted from every error;
- ``mastodon``, ``bluesky``: one client per network;
- ``run``: a publishing run (lock, rules, posting, ledger);
- ``conversation``, ``sanitize``, ``fetch``: interactions.jsonl, replies.jsonl and the hide list;
- ``backfeed``: what a build shows on an article page (where it was shared, the replies).
"""
