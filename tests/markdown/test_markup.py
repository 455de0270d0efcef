"""Markdown to HTML: supported extensions, summaries, and links between articles and files."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmhub.markdown.renderer import MORE, Renderer
from cmhub.markdown.targets import LinkContext, LinkIssue, LinkTarget

ARTICLES = {
    "premier.md": LinkTarget("premier/", True),
    "guides/second.md": LinkTarget("2026/10/second/", True),
    "guides/autre.md": LinkTarget("autre/", True),
    "brouillon.md": LinkTarget("brouillon/", False),
}
FILES = frozenset({"images/logo.png", "guides/img/schema.png", "docs/programme.pdf"})


def context(source_dir: str = "", base_path: str = "/") -> LinkContext:
    """Return the link context of an article in ``source_dir`` of the sample content."""
    return LinkContext(source_dir=source_dir, base_path=base_path, articles=ARTICLES, files=FILES)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """One renderer reused across tests, as the build does."""
    return Renderer()


class _Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag, and checks that tags are balanced."""

    VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.balanced = False


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def attrs_of(html: str, tag: str) -> list[dict[str, str | None]]:
    return [attrs for name, attrs in elements(html).elements if name == tag]


# Extensions


def test_table_becomes_html_table(renderer: Renderer) -> None:
    html = renderer.render("| Réseau | Limite |\n|---|---|\n| X | 280 |\n").html
    assert [name for name, _ in elements(html).elements] == ["table", "thead", "tr", "th", "th", "tbody", "tr",
                                                              "td", "td"]
    assert "<td>280</td>" in html


def test_footnote_has_reference_and_note(renderer: Renderer) -> None:
    html = renderer.render("Une affirmation[^source].\n\n[^source]: Le rapport annuel.\n").html
    assert '<sup id="fnref:source"><a class="footnote-ref" href="#fn:source">1</a></sup>' in html
    assert '<li id="fn:source">' in html
    assert "Le rapport annuel." in html


def test_admonition_becomes_classed_div(renderer: Renderer) -> None:
    html = renderer.render('!!! warning "Attention"\n    Inscriptions closes le 3.\n').html
    assert '<div class="admonition warning">' in html
    assert '<p class="admonition-title">Attention</p>' in html
    assert "<p>Inscriptions closes le 3.</p>" in html


@pytest.mark.parametrize(
    "body",
    ["```python\ndef f():\n    return 1\n```\n", "~~~python\ndef f():\n    return 1\n~~~\n"],
    ids=["backticks", "tildes"],
)
def test_fenced_code_is_highlighted_with_css_classes(renderer: Renderer, body: str) -> None:
    html = renderer.render(body).html
    assert html.startswith('<div class="highlight"><pre>')
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_fenced_code_without_language_is_not_guessed(renderer: Renderer) -> None:
    html = renderer.render("```\ndef f(): return 1\n```\n").html
    assert '<div class="highlight">' in html
    assert '<span class="k">' not in html
    assert "def f(): return 1" in html


@pytest.mark.parametrize(
    ("heading", "expected_id"),
    [
        ("## Mise en œuvre", "mise-en-oeuvre"),
        ("## L’été à Paris", "lete-a-paris"),
        ("## C'est l'heure !", "cest-lheure"),
        ("## 🎉 Fête", "fete"),
        ("## !!!", "section"),
    ],
    ids=["oe-ligature", "curly-apostrophe-accents", "straight-apostrophe", "emoji", "no-letters"],
)
def test_heading_id_is_ascii_slug(renderer: Renderer, heading: str, expected_id: str) -> None:
    (h2,) = attrs_of(renderer.render(heading + "\n").html, "h2")
    assert h2["id"] == expected_id


def test_repeated_headings_get_distinct_ids(renderer: Renderer) -> None:
    ids = [a["id"] for a in attrs_of(renderer.render("## Été\n\n## Été\n").html, "h2")]
    assert len(set(ids)) == 2 and ids[0] == "ete"


@pytest.mark.parametrize(
    ("body", "tag", "expected"),
    [
        ("Texte\n{: .lead #intro }\n", "p", {"class": "lead", "id": "intro"}),
        ("## Titre {: #perso .x }\n", "h2", {"class": "x", "id": "perso"}),
        ("[lien](https://example.org){: rel=noopener }\n", "a", {"href": "https://example.org", "rel": "noopener"}),
    ],
    ids=["paragraph", "heading", "link"],
)
def test_attr_list_sets_attributes(renderer: Renderer, body: str, tag: str, expected: dict[str, str]) -> None:
    (found,) = attrs_of(renderer.render(body).html, tag)
    assert found == expected


def test_renderer_is_reusable_without_leaking_state(renderer: Renderer) -> None:
    first = renderer.render("Note[^1].\n\n[^1]: Un.\n\n## Titre\n")
    again = renderer.render("Note[^1].\n\n[^1]: Un.\n\n## Titre\n")
    assert first == again
    plain = renderer.render("Rien.\n")
    assert "footnote" not in plain.html and plain.files == () and plain.issues == ()


@pytest.mark.parametrize("body", ["", "  \n\n"], ids=["empty", "blank-lines"])
def test_blank_body_renders_empty_on_a_fresh_renderer(body: str) -> None:
    rendered = Renderer().render(body, context())
    assert (rendered.html, rendered.files, rendered.issues, rendered.words) == ("", (), (), 0)


def test_blank_body_does_not_inherit_previous_article_links() -> None:
    renderer = Renderer()
    renderer.render("[a](absent.md) ![logo](images/logo.png)\n", context())
    rendered = renderer.render("\n", context())
    assert (rendered.files, rendered.issues) == ((), ())


# Summary


def test_summary_is_text_before_more_marker(renderer: Renderer) -> None:
    rendered = renderer.render(f"Premier.\n\nDeuxième.\n\n{MORE}\n\nSuite réservée.\n")
    assert rendered.summary_html == "<p>Premier.</p>\n<p>Deuxième.</p>"
    assert rendered.summary_text == "Premier. Deuxième."
    assert "Suite réservée." in rendered.html


@pytest.mark.parametrize("marker", [MORE, "<!--more-->", "<!-- MORE -->"], ids=["spaced", "tight", "uppercase"])
def test_more_marker_does_not_remain_in_html(renderer: Renderer, marker: str) -> None:
    rendered = renderer.render(f"Avant.\n\n{marker}\n\nAprès.\n")
    assert "more" not in rendered.html.lower()
    assert rendered.summary_html == "<p>Avant.</p>"
    assert "<p>Après.</p>" in rendered.html


def test_repeated_more_marker_does_not_remain_in_html(renderer: Renderer) -> None:
    rendered = renderer.render(f"Avant.\n\n{MORE}\n\nMilieu.\n\n{MORE}\n\nAprès.\n")
    assert rendered.summary_html == "<p>Avant.</p>"
    assert "more" not in rendered.html


@pytest.mark.parametrize(
    ("body", "summary_html"),
    [
        (f"Voir [le site][asso].\n\n{MORE}\n\nSuite.\n\n[asso]: https://asso.example.org/\n",
         '<p>Voir <a href="https://asso.example.org/">le site</a>.</p>'),
        (f"Un chiffre[^src].\n\n{MORE}\n\nSuite.\n\n[^src]: Rapport 2026.\n",
         '<p>Un chiffre<sup id="fnref:src"><a class="footnote-ref" href="#fn:src">1</a></sup>.</p>'),
    ],
    ids=["reference-link", "footnote"],
)
def test_summary_keeps_references_defined_after_the_marker(renderer: Renderer, body: str,
                                                            summary_html: str) -> None:
    assert renderer.render(body).summary_html == summary_html


def test_summary_defaults_to_first_paragraph(renderer: Renderer) -> None:
    rendered = renderer.render("## Titre\n\nPremier **paragraphe**.\n\nDeuxième.\n")
    assert rendered.summary_html == "<p>Premier <strong>paragraphe</strong>.</p>"
    assert rendered.summary_text == "Premier paragraphe."


def test_more_marker_inside_code_is_not_a_marker(renderer: Renderer) -> None:
    rendered = renderer.render(f"```\n{MORE}\n```\n\nPara.\n")
    assert rendered.summary_html == "<p>Para.</p>"
    assert "&lt;!-- more --&gt;" in rendered.html


def test_body_without_paragraph_has_empty_summary(renderer: Renderer) -> None:
    rendered = renderer.render("## Seulement un titre\n")
    assert (rendered.summary_html, rendered.summary_text) == ("", "")


def test_words_are_counted_in_visible_text(renderer: Renderer) -> None:
    assert renderer.render("L’été, c'est **vraiment** top-niveau.\n").words == 4


def test_first_paragraph_with_attributes_is_the_summary(renderer: Renderer) -> None:
    rendered = renderer.render("Le chapeau de l'article.\n{: .lead }\n\nLa suite.\n")
    assert rendered.summary_text == "Le chapeau de l'article."


def test_summary_html_is_balanced_when_marker_is_inline(renderer: Renderer) -> None:
    rendered = renderer.render(f"Le début {MORE} et la suite.\n")
    assert elements(rendered.summary_html).balanced and not elements(rendered.summary_html).open


# Links


@pytest.mark.parametrize(
    ("source_dir", "base_path", "link", "href"),
    [
        ("", "/", "premier.md", "/premier/"),
        ("", "/blog/", "premier.md", "/blog/premier/"),
        ("guides", "/blog/", "second.md", "/blog/2026/10/second/"),
        ("guides", "/", "../premier.md", "/premier/"),
        ("", "/", "guides/second.md", "/2026/10/second/"),
        ("", "/", "./premier.md", "/premier/"),
        ("guides", "/", "autre.md#etape-2", "/autre/#etape-2"),
        ("", "/blog/", "premier.md?ref=hub#fin", "/blog/premier/?ref=hub#fin"),
        ("", "/", "#plus-bas", "#plus-bas"),
        ("", "/blog/", "/a-propos/", "/blog/a-propos/"),
        ("", "/", "/a-propos/", "/a-propos/"),
        ("", "/", "https://example.org/page.md", "https://example.org/page.md"),
        ("", "/", "//cdn.example.org/x.md", "//cdn.example.org/x.md"),
        ("", "/", "mailto:contact@example.org", "mailto:contact@example.org"),
        ("", "/blog/", "docs/programme.pdf", "/blog/docs/programme.pdf"),
    ],
    ids=["same-folder", "same-folder-base-path", "inside-sub-folder", "parent-from-sub-folder",
         "into-sub-folder", "dot-slash", "fragment-kept", "query-and-fragment-kept", "fragment-only",
         "root-relative-gets-base-path", "root-relative-at-root", "external-md", "protocol-relative",
         "mailto", "file-download"],
)
def test_link_is_rewritten_to_site_url(renderer: Renderer, source_dir: str, base_path: str, link: str,
                                       href: str) -> None:
    rendered = renderer.render(f"Voir [ce lien]({link}).\n", context(source_dir, base_path))
    (a,) = attrs_of(rendered.html, "a")
    assert a["href"] == href
    assert rendered.issues == ()


def test_linked_file_is_listed_once(renderer: Renderer) -> None:
    rendered = renderer.render("[a](docs/programme.pdf) [b](docs/programme.pdf) [c](premier.md)\n", context())
    assert rendered.files == ("docs/programme.pdf",)


def test_link_to_missing_article_is_an_error_and_left_as_is(renderer: Renderer) -> None:
    rendered = renderer.render("Voir [ceci](absent.md).\n", context())
    assert rendered.issues == (LinkIssue("absent.md", "link to missing article 'absent.md'", "error"),)
    (a,) = attrs_of(rendered.html, "a")
    assert a["href"] == "absent.md"


def test_link_outside_content_is_an_error(renderer: Renderer) -> None:
    rendered = renderer.render("[x](../../secret.md)\n", context("guides"))
    assert rendered.issues == (LinkIssue("../../secret.md", "link '../../secret.md' points outside content/"),)


def test_missing_file_is_an_error(renderer: Renderer) -> None:
    rendered = renderer.render("[programme](docs/absent.pdf)\n", context())
    assert rendered.issues == (LinkIssue("docs/absent.pdf", "file 'docs/absent.pdf' not found under content/"),)
    assert rendered.files == ()


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("Bientôt : [le programme](brouillon.md) complet.\n", "<p>Bientôt : le programme complet.</p>"),
        ("[Le **programme** final](brouillon.md) arrive.\n", "<p>Le programme final arrive.</p>"),
        ("Voir *ici* [le programme](brouillon.md), puis [le premier](premier.md).\n",
         '<p>Voir <em>ici</em> le programme, puis <a href="/premier/">le premier</a>.</p>'),
    ],
    ids=["plain-link", "link-with-bold", "after-inline-element"],
)
def test_link_to_unpublished_article_becomes_plain_text_with_warning(renderer: Renderer, body: str,
                                                                     html: str) -> None:
    rendered = renderer.render(body, context())
    assert rendered.html == html
    assert rendered.issues == (LinkIssue(
        "brouillon.md", "link to 'brouillon.md', which is not published yet: shown as plain text until it is",
        "warning"),)


@pytest.mark.parametrize(
    ("source_dir", "src", "url", "listed"),
    [
        ("", "images/logo.png", "/blog/images/logo.png", "images/logo.png"),
        ("guides", "img/schema.png", "/blog/guides/img/schema.png", "guides/img/schema.png"),
        ("guides", "../images/logo.png", "/blog/images/logo.png", "images/logo.png"),
    ],
    ids=["same-folder", "sub-folder", "parent-folder"],
)
def test_image_path_is_rewritten_and_listed(renderer: Renderer, source_dir: str, src: str, url: str,
                                            listed: str) -> None:
    rendered = renderer.render(f"![Le logo]({src})\n", context(source_dir, "/blog/"))
    (img,) = attrs_of(rendered.html, "img")
    assert img == {"alt": "Le logo", "src": url}
    assert rendered.files == (listed,)
    assert rendered.issues == ()


def test_missing_image_is_an_error(renderer: Renderer) -> None:
    rendered = renderer.render("![Photo](images/absente.jpg)\n", context())
    assert rendered.issues == (LinkIssue("images/absente.jpg", "image 'images/absente.jpg' not found under content/"),)
    assert rendered.files == ()


def test_external_image_is_untouched(renderer: Renderer) -> None:
    rendered = renderer.render("![Photo](https://images.example.org/a.jpg)\n", context("guides", "/blog/"))
    (img,) = attrs_of(rendered.html, "img")
    assert img["src"] == "https://images.example.org/a.jpg"
    assert rendered.files == () and rendered.issues == ()


def test_links_in_footnotes_are_resolved(renderer: Renderer) -> None:
    rendered = renderer.render("Texte[^1].\n\n[^1]: Voir [le premier](premier.md).\n", context(base_path="/b/"))
    assert '<a href="/b/premier/">le premier</a>' in rendered.html


def test_without_context_links_are_left_alone(renderer: Renderer) -> None:
    rendered = renderer.render("[a](absent.md) ![b](absente.png)\n")
    assert [a["href"] for a in attrs_of(rendered.html, "a")] == ["absent.md"]
    assert rendered.issues == () and rendered.files == ()


# Property

MARKDOWN_BITS = st.sampled_from([
    "# ", "## ", "- ", "1. ", "> ", "    ", "```", "~~~", "!!! note", "[^1]", "[^1]: ", "| a | b |", "|---|",
    "{: .x }", "{:", "[lien](", "](", "![img](", ")", "premier.md", "../", "brouillon.md", "absent.md", "#",
    "<!-- more -->", "<div markdown>", "</div>", "*", "**", "_", "`", "\n", "\n\n", " ", "&", "<", ">",
    "*[HTML]: ", ":   ", "œ", "’", "🎉",
])
BODIES = st.one_of(st.text(), st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=40).map("".join))


@settings(max_examples=200, deadline=None)
@given(BODIES, st.sampled_from(["", "guides"]))
def test_render_never_crashes(body: str, source_dir: str) -> None:
    rendered = Renderer().render(body, context(source_dir, "/blog/"))
    assert all(issue.kind in ("error", "warning") for issue in rendered.issues)
    assert set(rendered.files) <= FILES
    assert rendered.words >= 0
