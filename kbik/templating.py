"""The Jinja2 environment: workspace templates first, package defaults second, sandboxed.

Workspace templates come from other people's repositories, so everything here
assumes a hostile template: it renders in Jinja2's immutable sandbox, sees only
plain data (``kbik.plain``), cannot leave the workspace through a link, and
cannot make numbers or strings large enough to exhaust the machine.
"""

from __future__ import annotations

import datetime as dt
import gettext
import operator
import os
import re
import stat
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml
from babel.lists import format_list
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kbik import dates
from kbik.errors import ConfigError, KbikError, UsageError
from kbik.files import create_new
from kbik.i18n import N_, status_word, translations
from kbik.indicators import DEFAULT_FIGURES, DEFAULT_INDICATORS, Indicator, describe
from kbik.limits import (
    BROKEN_LINK,
    FAILED,
    NOT_REGULAR,
    OUTSIDE,
    TOO_MUCH_MEMORY,
    UNREADABLE,
    bounded,
)
from kbik.names import hint
from kbik.palette import code, colour
from kbik.plain import plain
from kbik.status import is_revival
from kbik.text import escape_controls

# A template may repeat a string or raise a number to a power, within reason.
MAX_REPEAT = 1_000_000  # characters (or items) a '*' may produce
MAX_INT_BITS = 65_536  # bits a whole number made by '*' or '**' may have
MAX_TEMPLATE = 1024 * 1024  # bytes of a template file


def default_templates() -> Path:
    """Return the folder of the package's default templates."""
    installed = Path(str(resources.files("kbik") / "templates"))
    if installed.is_dir():
        return installed
    # A source checkout or editable install: the top-level templates/ folder.
    return Path(__file__).resolve().parent.parent / "templates"


class _Loader(FileSystemLoader):
    """A folder of templates that refuses links out of ``allowed`` and names bad files."""

    def __init__(self, folder: Path, allowed: Path, shown: Callable[[str], str]) -> None:
        super().__init__(folder, encoding="utf-8")
        self.allowed = allowed.resolve()
        self.shown = shown

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        self._check_file(template)
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except TemplateNotFound:
            raise
        except UnicodeDecodeError as error:
            where = self.shown(str(Path(str(self.searchpath[0])) / template))
            byte = error.object[error.start]
            raise ConfigError(
                N_(
                    "template is not UTF-8 text (byte 0x{byte} at offset {offset}); save it "
                    "as UTF-8"
                ),
                where=where,
                byte=f"{byte:02x}",
                offset=error.start,
            ) from None
        except OSError as error:
            where = self.shown(str(Path(str(self.searchpath[0])) / template))
            raise ConfigError(UNREADABLE, where=where, reason=error.strerror) from None
        try:
            real = Path(filename).resolve(strict=True)
        except (OSError, RuntimeError):
            raise ConfigError(BROKEN_LINK, where=self.shown(filename)) from None
        if not real.is_relative_to(self.allowed):
            raise ConfigError(OUTSIDE, where=self.shown(filename))
        return source, filename, uptodate

    def _check_file(self, template: str) -> None:
        """Refuse, rather than pass over for the default, a template here that is no
        regular file (a folder, a FIFO, a device, a link loop) or is too large."""
        for folder in self.searchpath:
            candidate = Path(str(folder)) / template
            if not os.path.lexists(candidate):
                continue
            where = self.shown(str(candidate))
            try:
                info = candidate.stat()
            except OSError as error:
                if candidate.is_symlink():
                    raise ConfigError(
                        N_("template is a link that loops or leads nowhere"), where=where
                    ) from None
                said = N_("template cannot be read: {reason}")
                raise ConfigError(said, where=where, reason=error.strerror or str(error)) from None
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(NOT_REGULAR, where=where)
            if info.st_size > MAX_TEMPLATE:
                raise ConfigError(
                    N_("template is {size} bytes; a template may be at most 1 MiB"),
                    where=where,
                    size=f"{info.st_size:,}",
                )
            return


class _Environment(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with '*' and '**' kept from building huge values."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "%":
            if isinstance(left, str):
                _check_format(left)
            return operator.mod(left, right)
        both_ints = _is_int(left) and _is_int(right)
        if operator_name == "**":
            if both_ints and right > 0 and abs(left).bit_length() * right > MAX_INT_BITS:
                raise SecurityError("a power would make too large a number")
            return operator.pow(left, right)
        if both_ints and abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
            raise SecurityError("a product would make too large a number")
        for count, other in ((right, left), (left, right)):
            sized = isinstance(other, str | list | tuple)
            if _is_int(count) and sized and count * len(other) > MAX_REPEAT:
                raise SecurityError("a repetition would make a value too large")
        return operator.mul(left, right)


# A field width or precision in a %-format: "%999999999d" would fill memory.
_FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d+))?")


def _check_format(text: str) -> str:
    """Refuse a %-format whose field width or precision is out of all reason."""
    for match in _FORMAT_WIDTH.finditer(text):
        if any(group and len(group) > 4 for group in match.groups()):
            raise SecurityError("a format would make a value too large")
    return text


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` filter, refusing formats that would fill memory."""
    return _check_format(str(value)) % (kwargs or args)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


def _finalize(value: Any) -> Any:
    """Show control characters from session files escaped, never raw."""
    if isinstance(value, str):
        # Markup stays Markup: only control characters change.
        return type(value)(escape_controls(value))
    return value


def yaml_scalar(value: Any) -> str:
    """Write a value as a one-line YAML flow scalar or list, quoted only where needed."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        value = list(value)
    text: str = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _md_cell(value: Any) -> str:
    """Make a value safe inside a Markdown table cell."""
    if value is None or value == "":
        return "-"
    return " ".join(str(value).split()).replace("|", "\\|")


def _figures(
    figures: Mapping[str, Any] | Any,
    indicators: Mapping[str, Indicator],
    language: str,
    labels: Mapping[str, str],
) -> str:
    """Write figures as ``PAR 15% (memadai), Peserta PWK 12``."""
    pairs = figures.items() if isinstance(figures, Mapping) else figures
    return ", ".join(describe(name, value, indicators, language, labels) for name, value in pairs)


def _names(items: Any, language: str) -> str:
    """Join names as the language does: "Opas Indah, Keramat dan Bukit Merapin"."""
    shown = [str(item) for item in items]
    return format_list(shown, locale=language) if shown else ""


def _assignments(who: Any, catalog: gettext.NullTranslations, language: str) -> str:
    """Who takes on an RKTL action: " (Tim 2: Opas, Keramat; Tim 5)", or "" for nobody."""
    parts = []
    for assignment in who:
        team = team_names(assignment.team, catalog, language) if assignment.team is not None else ""
        places = ", ".join(assignment.kelurahan)
        parts.append(f"{team}: {places}" if team and places else team or places)
    return f" ({'; '.join(parts)})" if parts else ""


def team_names(numbers: Any, catalog: gettext.NullTranslations, language: str) -> str:
    """Name one or more teams: "Tim 6 dan 7", "Teams 6 and 7" (the ``teams`` filter)."""
    if isinstance(numbers, int):
        numbers = (numbers,)
    listed = _names(numbers, language)
    return catalog.ngettext("Team %(list)s", "Teams %(list)s", len(numbers)) % {"list": listed}


# The body headings the session file contract knows (kbik new writes them), by their
# words in either language: a report shows them in its own language. Any other heading
# is the writer's own and is shown as written.
_HEADINGS = {
    "materi": N_("Material"),
    "material": N_("Material"),
    "penutup": N_("Closing"),
    "closing": N_("Closing"),
}


def _heading(title: str, catalog: gettext.NullTranslations) -> str:
    """A body heading in the report's language, where it is one kbik knows."""
    known = _HEADINGS.get(" ".join(title.split()).casefold())
    return catalog.gettext(known) if known else title


def _paragraphs(text: str | None) -> list[str]:
    """Split text at blank lines and join each paragraph's lines into one."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks]


def _whatsapp(text: str | None) -> str:
    """Rewrite Markdown-ish text for a WhatsApp message: one line per paragraph."""
    paragraphs = []
    for paragraph in _paragraphs(text):
        paragraph = re.sub(r"\*\*(.+?)\*\*", r"*\1*", paragraph)
        paragraph = re.sub(r"^#+\s*(.+)$", r"*\1*", paragraph)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _workspace_templates(workspace_root: Path) -> Path | None:
    """The workspace's templates/ folder, if it has one inside the workspace."""
    folder = workspace_root / "templates"
    if not folder.is_dir():
        return None
    if not folder.resolve().is_relative_to(workspace_root.resolve()):
        raise ConfigError(N_("templates/ is a link outside the workspace"), where=str(folder))
    return folder


def environment(
    workspace_root: Path | None,
    language: str = "id",
    indicators: Mapping[str, Indicator] = DEFAULT_INDICATORS,
    figure_labels: Mapping[str, str] = DEFAULT_FIGURES,
) -> ImmutableSandboxedEnvironment:
    """Build the environment that every kbik template is rendered in.

    The sandbox keeps workspace templates from reaching Python internals; session
    text only ever enters as data, so ``{{ }}`` in a note is printed, not run.
    """
    loaders: list[BaseLoader] = []
    defaults = default_templates()
    root = workspace_root.resolve() if workspace_root is not None else None

    def shown(filename: str) -> str:
        path = Path(filename)
        if root is not None and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
        return filename

    own = _workspace_templates(workspace_root) if workspace_root is not None else None
    if own is not None and root is not None:
        loaders.append(_Loader(own, root, shown))
    loaders.append(_Loader(defaults, defaults, shown))
    env = _Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    catalog = translations(language)
    # Jinja's new-style gettext fills in %(name)s itself: the message must be a safe format.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: _check_format(catalog.gettext(message)),
        ngettext=lambda one, many, n: _check_format(catalog.ngettext(one, many, n)),
        pgettext=lambda ctx, message: _check_format(catalog.pgettext(ctx, message)),
        npgettext=lambda ctx, one, many, n: _check_format(catalog.npgettext(ctx, one, many, n)),
        newstyle=True,
    )
    # Lorem ipsum of any length is no use in a report, and a way to fill memory.
    env.globals.pop("lipsum", None)
    env.filters.update(
        long_date=lambda day: dates.long_date(day, language),
        medium_date=lambda day: dates.medium_date(day, language),
        short_date=lambda day: dates.short_date(day, language),
        yaml=yaml_scalar,
        md_cell=_md_cell,
        paragraphs=_paragraphs,
        whatsapp=_whatsapp,
        figures=lambda figures: _figures(figures, indicators, language, figure_labels),
        status_colour=colour,
        status_code=code,
        status_word=lambda word: status_word(word, language),
        teams=lambda numbers: team_names(numbers, catalog, language),
        heading=lambda title: _heading(title, catalog),
        assignments=lambda who: _assignments(who, catalog, language),
        names=lambda items: _names(items, language),
        format=_format,
    )
    env.globals["revived"] = is_revival
    return env


def render(
    env: Environment,
    names: list[str],
    context: Mapping[str, Any],
    template_file: Path | None = None,
) -> str:
    """Render the first template found among ``names`` (or the given file).

    The context is turned into plain data first, so a template never holds an
    object that could reach a file or a process. A template of the workspace's (or
    ``template_file``) renders bounded in time and memory (``kbik.limits``); kbik's
    own defaults, in this process.
    """
    data = {key: plain(value) for key, value in context.items()}
    shown = str(template_file) if template_file is not None else names[0]

    def attempt() -> str:
        return _render(env, names, data, template_file, shown)

    if template_file is None and not _has_own_templates(env):
        return attempt()

    return bounded(shown if template_file is not None else _found_as(env, names), attempt)


def _found_as(env: Environment, names: list[str]) -> str:
    """The file the first of ``names`` that exists is read from, as a user finds it."""
    loader = env.loader
    if isinstance(loader, ChoiceLoader):
        for source in loader.loaders:
            if isinstance(source, _Loader):
                for name in names:
                    for folder in source.searchpath:
                        if (Path(str(folder)) / name).exists():
                            return source.shown(str(Path(str(folder)) / name))
    return names[0]


def _has_own_templates(env: Environment) -> bool:
    """Tell whether the workspace has text templates of its own, which ``env`` reads first."""
    loader = env.loader
    if not isinstance(loader, ChoiceLoader) or len(loader.loaders) < 2:
        return False
    own = loader.loaders[0]
    return isinstance(own, _Loader) and any(
        Path(str(folder)).glob("*.j2") for folder in own.searchpath
    )


def _render(
    env: Environment,
    names: list[str],
    data: Mapping[str, Any],
    template_file: Path | None,
    shown: str,
) -> str:
    try:
        if template_file is not None:
            template = _template_from_file(env, template_file)
        else:
            template = env.select_template(names)
            shown = _shown_name(env, template)
        return template.render(data)
    except KbikError:
        raise
    except TemplateNotFound as error:
        raise ConfigError(N_("template not found: {name}"), name=str(error.name)) from None
    except TemplateError as error:
        line = getattr(error, "lineno", None) or _template_line(error.__traceback__)
        where = getattr(error, "filename", None) or shown
        location = f"{where}:{line}" if line else str(where)
        raise ConfigError(FAILED, where=location, reason=str(error)) from None
    except RecursionError:
        raise ConfigError(
            N_("template failed: it includes, extends or calls itself without end"), where=shown
        ) from None
    except MemoryError:
        raise ConfigError(TOO_MUCH_MEMORY, where=shown) from None
    except Exception as error:  # a hostile or broken template: any failure is its own
        line = _template_line(error.__traceback__)
        location = f"{shown}:{line}" if line else shown
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ConfigError(FAILED, where=location, reason=reason) from None


def _template_from_file(env: Environment, path: Path) -> Template:
    """A template given by path: a regular file of at most MAX_TEMPLATE bytes, in UTF-8."""
    try:
        # Opened without blocking: a FIFO would wait for a writer before fstat could tell.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise UsageError(N_("--template {path}: is not a regular file"), path=str(path))
            raw = stream.read(MAX_TEMPLATE + 1)
        if len(raw) > MAX_TEMPLATE:
            said = N_("--template {path}: a template may be at most 1 MiB")
            raise UsageError(said, path=str(path))
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        said = N_("cannot read template {path}: not UTF-8 text")
        raise UsageError(said, path=str(path)) from None
    except OSError as error:
        said = N_("cannot read template {path}: {reason}")
        raise UsageError(said, path=str(path), reason=error.strerror or str(error)) from None
    return env.from_string(source)


def _shown_name(env: Environment, template: Template) -> str:
    """The name of a template as a user finds it: workspace-relative, or the default's name."""
    filename = template.filename or template.name or "template"
    loader = env.loader
    if isinstance(loader, ChoiceLoader) and isinstance(loader.loaders[0], _Loader):
        return loader.loaders[0].shown(filename)
    return filename


def _template_line(trace: TracebackType | None) -> int | None:
    """The template line a runtime error happened on (Jinja2 rewrites the frames)."""
    line = None
    while trace is not None:
        code_name = trace.tb_frame.f_code.co_filename
        if code_name.endswith(".j2") or code_name == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def template_sources(workspace_root: Path) -> list[tuple[str, tuple[str, Path]]]:
    """Every template name, with where it comes from ("workspace" or "default", marked
    for the catalogs) and the file it is read from (the workspace's first)."""
    found: dict[str, tuple[str, Path]] = {}
    own = workspace_root / "templates"
    defaults = default_templates()
    for folder, label in ((own, N_("workspace")), (defaults, N_("default"))):
        if not folder.is_dir():
            continue
        for path in sorted(_templates_in(folder)):
            if path.name not in found:
                where = path if folder == defaults else path.relative_to(workspace_root)
                found[path.name] = (label, where)
    return sorted(found.items())


def copy_default(workspace_root: Path, name: str) -> Path:
    """Copy a default template into the workspace's templates/; never overwrite one."""

    defaults = {path.name: path for path in _templates_in(default_templates())}
    if name not in defaults:
        said = N_("no default template '{name}'{hint}; see 'kbik templates list'")
        raise UsageError(said, name=name, hint=hint(name, defaults))
    target = workspace_root / "templates" / name
    if target.resolve() == defaults[name].resolve():
        said = N_("{path} is the default itself: this workspace already uses it")
        raise UsageError(said, path=str(target))
    create_new(target, defaults[name].read_bytes())
    return target


def _templates_in(folder: Path) -> list[Path]:
    """The templates of a folder: Jinja2 text templates and the Word template."""
    return [*folder.glob("*.j2"), *folder.glob("*.docx")]
