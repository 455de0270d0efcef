"""site.yml's ``languages:`` (issue #19): the hub's words in its other languages, each mistake at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmhub.core.errors import CmhubError
from cmhub.settings.config import parse_config
from cmhub.settings.languages import LanguageConfig, language_config

HEAD = "title: T\nurl: https://t.example/\nlanguage: fr\n"


def test_languages_are_read_sorted_and_found_by_code(tmp_path: Path) -> None:
    config = parse_config(HEAD + "languages:\n  en:\n    description: The notebook\n  de: {title: Das Heft}\n",
                          tmp_path)
    assert config.languages == (LanguageConfig("de", "Das Heft", ""), LanguageConfig("en", "", "The notebook"))
    assert language_config(config.languages, "en").description == "The notebook"
    assert language_config(config.languages, "it") == LanguageConfig("it")


@pytest.mark.parametrize(("text", "message"), [
    ("languages: [en]\n", "site.yml:4: 'languages' must map language codes to a 'title' and a 'description'"),
    ("languages:\n  english: {title: T}\n", "site.yml:5: 'languages' keys must be language codes such as 'en', "
                                            "got 'english'"),
    ("languages:\n  en: The notebook\n", "site.yml:5: 'languages.en' must be a mapping with 'title' and/or "
                                         "'description'"),
    ("languages:\n  en:\n    descripton: x\n", "site.yml:6: unknown key 'languages.en.descripton' "
                                               "(did you mean 'description'?)"),
])
def test_a_mistake_in_languages_is_reported_at_its_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CmhubError) as caught:
        parse_config(HEAD + text, tmp_path)
    assert str(caught.value.problems[0]).startswith(message), caught.value.problems
