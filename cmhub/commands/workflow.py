"""The GitHub Actions workflow `cmhub init` writes: build on push and on site.yml's cron, deploy
site/ to Pages, commit the ledgers back; then post the due teasers (`cmhub publish`) and, on the cron,
fetch the conversation (`cmhub interactions`), committing posts.lock and what was fetched."""

from __future__ import annotations

from cmhub.commands.provenance import InstallLine

WORKFLOW = """\
# Builds the hub on every push and on a schedule, publishes site/ on GitHub Pages, keeps social/
# (teasers, batches to import, calendar) as an artifact, and commits the ledgers back to the
# repository: permalinks.lock (every URL ever published) and plan.lock (every teaser handed out).
#
# The cron below must be site.yml's builds.cron (`cmhub check` warns when they differ): a scheduled
# article appears at the first build after its date, and its teasers are planned from that build
# plus builds.margin. GitHub may start scheduled runs late, most at the start of each hour, and under
# heavy load may skip one: the margin absorbs the usual delay, and the next run catches up.
# GitHub disables scheduled workflows in a repository with no activity for 60 days: push a commit
# (or re-enable the workflow in the Actions tab) at least every two months.
#
# Turn Pages on once: Settings > Pages > Source: GitHub Actions.
#
# The build cache (.cmhub-cache/, kept between runs with actions/cache) is sealed with the repository
# secret CMHUB_CACHE_KEY (any long random string, e.g. `openssl rand -hex 32`); without that secret
# every run builds cold, which is correct and only slower.
#
# Posting (the job "publish", after the site is online): for each network with `publish: true` in
# site.yml, cmhub posts the teasers that are due itself, exactly once, and records them in posts.lock.
# It reads its credentials from these repository secrets (Settings > Secrets and variables > Actions),
# only for the networks you post to; nothing else ever sees them, and no file or log holds them:
#   CMHUB_MASTODON_TOKEN        an access token of the Mastodon account (Preferences > Development >
#                               New application; scopes read, write:statuses, write:media)
#   CMHUB_BLUESKY_HANDLE        the Bluesky account's handle (optional: site.yml's handle otherwise)
#   CMHUB_BLUESKY_APP_PASSWORD  an app password of that account (Settings > Privacy and security >
#                               App passwords), never the account's own password
# A teaser a network refused or that timed out fails the job after the others went out; the next run
# tries it again. On the cron, `cmhub interactions` fetches the replies, reposts and likes of the posts
# (interactions.jsonl, replies.jsonl): the next build shows the replies on the articles, minus the
# ones listed in hidden-replies.txt.
name: cmhub

on:
  push:
    branches: [main]
  schedule:
    - cron: "@CRON@"
  workflow_dispatch:

permissions:
  contents: write  # to commit permalinks.lock, plan.lock, posts.lock and what cmhub interactions fetched
  pages: write
  id-token: write

# One run at a time, in order: each run commits the ledgers that the next one reads.
concurrency:
  group: cmhub-${{ github.ref }}
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    # The key that seals the build cache: a repository secret holding any long random string
    # (`openssl rand -hex 32`). Without it, a cache restored from another run is never trusted: builds
    # are only slower. With it, a cache someone else put in the shared CI cache is never trusted either.
    env:
      CMHUB_CACHE_KEY: ${{ secrets.CMHUB_CACHE_KEY }}
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
@INSTALL@
      # The last run's build cache: articles already rendered and teaser pictures already made are
      # reused (a build of 1,000 articles takes ~1.4 s instead of ~3.5 s); a stale one only costs time.
      - uses: actions/cache@v5
        with:
          path: |
            .cmhub-cache
            !.cmhub-cache/trees
          key: cmhub-${{ github.run_id }}
          restore-keys: cmhub-
      # Not --locked: this workflow records what it publishes and plans, then commits the ledgers.
      - name: Build
        run: cmhub build
      # A push with this workflow's GITHUB_TOKEN starts no new run (GitHub's rule against recursive
      # runs), so the commit needs no [skip ci]. If someone pushed meanwhile, the commit is rebased on
      # theirs (the ledgers are one line per record, so additions merge); after three failed tries the
      # run fails and deploys nothing: the next run builds again from what is committed.
      - name: Commit the ledgers
@COMMIT_LEDGERS@
      - name: Keep the teasers, batches and calendar for the team
        uses: actions/upload-artifact@v7
        with:
          name: social
          path: social/
      - uses: actions/upload-pages-artifact@v5
        with:
          path: site/
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
  publish:
    needs: deploy
    runs-on: ubuntu-latest
    env:
      CMHUB_CACHE_KEY: ${{ secrets.CMHUB_CACHE_KEY }}
    steps:
      # the branch as the build left it, with the ledgers it committed
      - uses: actions/checkout@v6
        with:
          ref: ${{ github.ref_name }}
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
@INSTALL@
      - uses: actions/cache@v5
        with:
          path: |
            .cmhub-cache
            !.cmhub-cache/trees
          key: cmhub-${{ github.run_id }}
          restore-keys: cmhub-
      - name: Publish the due teasers
        env:
          CMHUB_MASTODON_TOKEN: ${{ secrets.CMHUB_MASTODON_TOKEN }}
          CMHUB_BLUESKY_HANDLE: ${{ secrets.CMHUB_BLUESKY_HANDLE }}
          CMHUB_BLUESKY_APP_PASSWORD: ${{ secrets.CMHUB_BLUESKY_APP_PASSWORD }}
        run: cmhub publish
      - name: Fetch replies, reposts and likes
        if: ${{ !cancelled() && github.event_name != 'push' }}
        env:
          CMHUB_MASTODON_TOKEN: ${{ secrets.CMHUB_MASTODON_TOKEN }}
          CMHUB_BLUESKY_HANDLE: ${{ secrets.CMHUB_BLUESKY_HANDLE }}
          CMHUB_BLUESKY_APP_PASSWORD: ${{ secrets.CMHUB_BLUESKY_APP_PASSWORD }}
        run: cmhub interactions
      # Even when a teaser failed: what went out is recorded, so that the next run never posts it again.
      - name: Commit what was posted and fetched
        if: ${{ !cancelled() }}
@COMMIT_POSTS@
"""

INSTALL_STEP = """\
      # The cmhub this hub was made with, pinned ({origin}); `cmhub init` wrote this line.
      - name: Install cmhub
        run: {command}
"""

INSTALL_TODO = """\
      # cmhub init could not pin the cmhub to install: it ran {origin}.
      # Replace this step with one that installs the same cmhub, pinned, e.g.
      #   run: pip install "cmhub @ git+https://github.com/OWNER/cmhub@COMMIT"
      # or commit a wheel (pip wheel --no-deps -w wheels/ /path/to/cmhub) and
      #   run: pip install ./wheels/cmhub-VERSION-py3-none-any.whl
      # This step fails on purpose until then (see "Installing cmhub for your hub" in cmhub's README).
      - name: Install cmhub (to be set up, see above)
        run: |
          echo "::error file=.github/workflows/cmhub.yml::set up the step that installs cmhub (see its comment)"
          exit 1
"""


COMMIT_STEP = """\
        run: |
          for ledger in {files}; do
            if [ -f "$ledger" ]; then git add "$ledger"; fi
          done
          if git diff --cached --quiet; then exit 0; fi
          git -c user.name="github-actions[bot]" \\
              -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \\
              commit -q -m "cmhub: {message} ${{{{ github.sha }}}}"
          for attempt in 1 2 3; do
            if git pull -q --rebase origin "$GITHUB_REF_NAME" && git push -q origin "HEAD:$GITHUB_REF_NAME"; then
              exit 0
            fi
            git rebase --abort 2>/dev/null || true
            sleep $((attempt * 10))
          done
          echo "::error::could not push {files_said}; {after}"
          exit 1
"""


def workflow(cron: str, line: InstallLine) -> str:
    """Return the CI workflow for a hub built on ``cron``, installing cmhub with ``line``."""
    template = INSTALL_STEP if line.command else INSTALL_TODO
    step = template.format(origin=line.origin, command=line.command)
    ledgers = COMMIT_STEP.format(files="permalinks.lock plan.lock posts.lock", message="ledgers of the build of",
                                 files_said="permalinks.lock and plan.lock", after="see the log above")
    posts = COMMIT_STEP.format(files="posts.lock interactions.jsonl replies.jsonl",
                               message="posts and interactions of the run of", files_said="posts.lock",
                               after="the next run finds its posts on the networks again")
    return (WORKFLOW.replace("@CRON@", cron).replace("@INSTALL@\n", step)
            .replace("@COMMIT_LEDGERS@\n", ledgers).replace("@COMMIT_POSTS@\n", posts))
