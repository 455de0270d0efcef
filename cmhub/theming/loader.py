"""The theme: built-in templates and static files, overridden by name from the project's theme/."""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
import jinja2.bccache

from cmhub.core.errors import CmhubError, Problem, error
from cmhub.core.folders import walk_files
from cmhub.core.locations import builtin_theme_dir
from cmhub.incremental.reuse import digest_of
from cmhub.output.seals import read_sealed, write_sealed


@dataclass(frozen=True)
class Theme:
    """Where templates and static files come from, the project's own first."""

    folders: tuple[Path, ...]
    """Theme folders, most specific first (the project's theme/, then the built-in one)."""
    root: Path
    """The project folder, to name templates in messages."""
    compiled: Path | None = None
    """Where compiled templates are kept between builds (None: compile them every time)."""
    environments: dict[tuple[str, bool], jinja2.Environment] = field(
        default_factory=dict, compare=False, hash=False, repr=False)
    """The Jinja environments made for this theme (see make_environment): one build's, as a theme is."""

    def static_files(self) -> Mapping[str, Path]:
        """Return every static file by its name under static/; the project's own wins.

        A link that leads out of static/, to a folder or nowhere is left out (see link_problems).
        """
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for path in walk_files(static, self.root, "theme/static/").files:
                found[path.relative_to(static).as_posix()] = path
        return MappingProxyType(dict(sorted(found.items())))

    def link_problems(self) -> tuple[Problem, ...]:
        """Return a warning for each link of the theme's static/ folders that is not published."""
        return tuple(p for folder in self.folders for p in walk_files(folder / "static", self.root,
                                                                         "theme/static/").problems)

    def template_digest(self, sub: str = "templates") -> str:
        """Return a digest of every template file under ``sub`` (their names and bytes)."""
        return digest_of(f"{path.as_posix()}\0" + path.read_bytes().decode("utf-8", "surrogateescape")
                         for folder in self.template_dirs(sub) for path in sorted(Path(folder).rglob("*"))
                         if path.is_file())

    def template_dirs(self, sub: str = "templates") -> list[str]:
        """Return the folders Jinja searches, most specific first."""
        return [str(folder / sub) for folder in self.folders if (folder / sub).is_dir()]


def load_theme(project_theme: Path, root: Path, compiled: Path | None = None) -> Theme:
    """Return the theme of a project: its theme/ folder (if any) over the built-in theme.

    With ``compiled``, Jinja keeps its compiled templates in that folder (checked against each
    template's source, so an edited template is compiled again).
    """
    builtin = builtin_theme_dir()
    folders = [builtin]
    if project_theme.is_dir() and project_theme.resolve() != builtin.resolve():
        folders.insert(0, project_theme)
        _check_encoding(project_theme, root)
    return Theme(tuple(folders), root, compiled)


def _check_encoding(folder: Path, root: Path) -> None:
    """Raise CmhubError naming every template of the project's theme that is not UTF-8 text."""
    problems = []
    for sub in ("templates", "social", "material"):
        for path in walk_files(folder / sub, root, f"theme/{sub}/").files:
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(error(_template_name(root, str(path)), None,
                                      f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"))
            except OSError as exc:
                problems.append(error(_template_name(root, str(path)), None, f"cannot be read: {exc.strerror}"))
    if problems:
        raise CmhubError(problems)


TEMPLATE_MISTAKES = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError, RecursionError)
"""What a template's own code may raise while it runs ({{ 1 / 0 }}, a template extending itself...)."""


class CheckedTemplate(jinja2.Template):
    """A template whose mistakes at run time are the user's: a message at the template's line.

    Jinja's own errors (an undefined name, a missing template) are left to the callers, which name
    what was being rendered.
    """

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render the template; a mistake in its code raises CmhubError at its file and line."""
        try:
            return super().render(*args, **kwargs)
        except jinja2.TemplateError:
            raise  # named by the caller, which knows what it was rendering
        except TEMPLATE_MISTAKES as exc:
            filename, line = _template_frame(exc)
            if filename is None or not _raised_by_template(exc):
                raise  # not from a template's code: our bug
            root = getattr(self.environment, "project_root", None)
            where = _template_name(root, filename) if root is not None else filename
            what = "it includes or extends itself without end" if isinstance(exc, RecursionError) else \
                f"{type(exc).__name__}: {exc}"
            raise CmhubError([error(where, line, f"template error: {what}")]) from exc


class Environment(jinja2.Environment):
    """Jinja's environment, with each template's globals in one plain dict.

    Jinja chains a template's globals to the environment's (a ChainMap) and copies that chain key by
    key on every render; cmhub never changes the globals once the environment is made.
    """

    template_class = CheckedTemplate
    project_root: Path | None = None
    """The project folder, to name templates in messages."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """Return the globals of a template: the environment's, overlaid with its own."""
        return {**self.globals, **(d or {})}


def make_environment(theme: Theme, sub: str = "templates", autoescape: bool = True) -> jinja2.Environment:
    """Return the Jinja environment with StrictUndefined over the theme's folders (HTML autoescaped).

    The environment is made once per theme (so once per build): every page, feed stylesheet and
    calendar of a build use the templates it compiled.
    """
    found = theme.environments.get((sub, autoescape))
    if found is None:
        found = theme.environments[sub, autoescape] = _environment(theme, sub, autoescape)
    return found


def compile_templates(theme: Theme) -> None:
    """Compile every page template of the theme ahead of use; a broken one is left to fail when used."""
    env = make_environment(theme)
    for name in env.list_templates(extensions=("html", "xml", "xsl")):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):  # reported by the render that needs it
            continue


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache, each file sealed (see cmhub.output.seals).

    Jinja's own file cache reads back a pickle and marshalled code from any file in its folder;
    here a file is handed to Jinja only when its seal proves that this machine's cmhub wrote it.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` from its sealed file, if there is one that is whole and ours."""
        body = read_sealed(self.folder / f"{bucket.key}.sealed", f"template:{bucket.key}")
        if body is not None:
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep ``bucket``'s compiled code in a sealed file (a cache that cannot be written only costs time)."""
        try:
            write_sealed(self.folder / f"{bucket.key}.sealed", bucket.bytecode_to_string(), f"template:{bucket.key}")
        except OSError:
            pass


def _environment(theme: Theme, sub: str, autoescape: bool) -> jinja2.Environment:
    bytecode = None
    if theme.compiled is not None:
        bytecode = SealedBytecodeCache(theme.compiled)
    env = Environment(
        loader=jinja2.FileSystemLoader(theme.template_dirs(sub)),
        bytecode_cache=bytecode,
        # an environment lives for one build, which loads a few dozen templates at most: no need to
        # stat each one on every page, nor to keep them in a locked least-recently-used cache
        auto_reload=False,
        cache_size=-1,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.project_root = theme.root
    return env


def asset_function(base_path: str, files: Mapping[str, Path]) -> Callable[[str], str]:
    """Return ``asset(name)``: the URL of a static file, with a content hash against stale caches."""
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for name, path in files.items()
               if name.endswith((".css", ".js", ".xsl"))}

    def asset(name: str) -> str:
        if name not in files:
            raise CmhubError([error("theme", None, f"static file '{name}' not found in theme/static/")])
        digest = digests.get(name)
        return f"{base_path}static/{name}" + (f"?v={digest}" if digest else "")

    return asset


def render_template(env: jinja2.Environment, theme: Theme, name: str, context: Mapping[str, Any],
                    what: str) -> str:
    """Render one template; a template mistake becomes a CmhubError naming template:line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise CmhubError([error(_template_name(theme.root, exc.filename or name), exc.lineno,
                                f"template syntax error: {exc.message}")]) from exc
    except jinja2.TemplateNotFound as exc:
        raise CmhubError([error("theme", None, f"template '{exc.name}' not found (rendering {what})")]) from exc
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc)
        where = _template_name(theme.root, filename) if filename else name
        raise CmhubError([error(where, line, f"{exc.message} (rendering {what})")]) from exc


def _raised_by_template(exc: BaseException) -> bool:
    """Tell whether an error arose in a template's code or in Jinja's (a filter given the wrong value),
    not in cmhub's own functions that a template called."""
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, RecursionError) or not frames:
        return True
    innermost = frames[-1].filename
    return innermost.endswith((".html", ".xml", ".txt", ".xsl", ".j2")) or \
        f"{os.sep}jinja2{os.sep}" in innermost or f"{os.sep}markupsafe{os.sep}" in innermost


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".xsl", ".j2")):
            return frame.filename, frame.lineno
    return None, None


def _template_name(root: Path, filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        builtin = builtin_theme_dir()
        try:
            return "(built-in theme)/" + path.resolve().relative_to(builtin).as_posix()
        except ValueError:
            return filename
