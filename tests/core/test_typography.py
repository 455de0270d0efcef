"""French typography (issue #15.6): no-break spaces before : ; ! ? and inside « », in pages and feeds
of French text, never inside code, URLs or attributes, never twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmhub.core.typography import french_spacing, french_spacing_html

NB, NN = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "expected"), [
    ("Métier : ce qu’il faut savoir", f"Métier{NB}: ce qu’il faut savoir"),
    ("Quoi ? Oui ! Non ; peut-être", f"Quoi{NN}? Oui{NN}! Non{NN}; peut-être"),
    ("Quoi?! Vraiment", f"Quoi{NN}?! Vraiment"),
    ("« citation »", f"«{NN}citation{NN}»"),
    ("«mot»", f"«{NN}mot{NN}»"),
    (f"Déjà{NN}? Oui{NB}:", f"Déjà{NN}? Oui{NB}:"),
    ("Rendez-vous à 10:30 ; voir https://x.org/a?b=c&d=e! puis www.x.org/?q=1", f"Rendez-vous à 10:30{NN}; voir "
     "https://x.org/a?b=c&d=e! puis www.x.org/?q=1"),
    ("a;b et c:d", "a;b et c:d"),
    ("Bravo 🎉 !", f"Bravo 🎉{NN}!"),
])
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected


def test_html_spacing_spares_code_attributes_links_and_entities() -> None:
    html = ('<p><strong>Attention</strong> : lire <a href="https://x.org/?a=b" title="Voir : ici">ici</a> ! '
            '<code>a : b ?</code> &amp; ; et « ok »</p><pre><code>x : y ?</code></pre>'
            '<p>https://x.org/page!</p><img alt="a : b" src="a.png">')
    expected = (f'<p><strong>Attention</strong>{NB}: lire <a href="https://x.org/?a=b" title="Voir : ici">ici</a>'
                f'{NN}! <code>a : b ?</code> &amp; ; et «{NN}ok{NN}»</p><pre><code>x : y ?</code></pre>'
                '<p>https://x.org/page!</p><img alt="a : b" src="a.png">')
    assert french_spacing_html(html) == expected
    assert french_spacing_html(expected) == expected


@pytest.mark.parametrize(("html", "expected"), [
    ("<em>«</em> mot", f"<em>«</em>{NN}mot"),  # the guillemet ends one piece of text, its space opens the next
    ("<b>Attention</b> : lisez", f"<b>Attention</b>{NB}: lisez"),
    ('<a href="/a?b">lien</a> ?', f'<a href="/a?b">lien</a>{NN}?'),
    ("<p>«</p> x", "<p>«</p> x"),  # a block ends what a mark may reach
    ("<code>«</code> x", "<code>«</code> x"),
    ("<p>a &amp;! b</p>", "<p>a &amp;! b</p>"),  # an entity's ';' is no word: nothing before the '!'
    ("<p>un mot sans ponctuation</p><p>puis : une</p>", f"<p>un mot sans ponctuation</p><p>puis{NB}: une</p>"),
])
def test_a_mark_reaches_across_inline_tags_only(html: str, expected: str) -> None:
    assert french_spacing_html(html) == expected


@settings(max_examples=1000)
@example("0:»")
@given(st.text(alphabet=st.sampled_from(list("ab :;!?«»\u00a0\u202f<>/&#é10.")), max_size=40))
def test_spacing_is_idempotent_and_never_crashes(text: str) -> None:
    once = french_spacing(text)
    assert french_spacing(once) == once
    html = french_spacing_html(text)
    assert french_spacing_html(html) == html


def test_french_pages_and_feeds_keep_the_colon_on_its_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cmhub.cli.verbs import main
    from tests.cli.test_errors import make_site
    from tests.conftest import NOW

    make_site(tmp_path, {
        "content/b.md": "---\ntitle: \"Gestionnaire de communauté : ce qu’il faut savoir !\"\ndate: 2026-10-02\n"
                        "---\nUn métier : trois règles ?\n\n```\nclé : valeur ?\n```\n",
        "content/c.md": "---\ntitle: \"Community manager: what to know!\"\ndate: 2026-10-03\nlang: en\n---\n"
                        "A job : three rules ?\n"})
    assert CliRunner().invoke(main, ["build", "-C", str(tmp_path), "--now", NOW]).exit_code == 0
    page = (tmp_path / "site" / "b" / "index.html").read_text(encoding="utf-8")
    assert f"Gestionnaire de communauté{NB}: ce qu’il faut savoir{NN}!" in page
    assert f"Un métier{NB}: trois règles{NN}?" in page and "clé : valeur ?" in page
    english = (tmp_path / "site" / "c" / "index.html").read_text(encoding="utf-8")
    assert "A job : three rules ?" in english and NN not in english.split("<main")[1].split("</article>")[0]
    atom = (tmp_path / "site" / "atom.xml").read_text(encoding="utf-8")
    assert f"Gestionnaire de communauté{NB}: ce qu’il faut savoir{NN}!" in atom
