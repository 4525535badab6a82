"""The Jinja2 environment: workspace templates first, package defaults second, sandboxed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from kbik import dates
from kbik.errors import ConfigError, UsageError
from kbik.indicators import DEFAULT_INDICATORS, Indicator, describe
from kbik.palette import code, colour, is_revival


def default_templates() -> Path:
    """Return the folder of the package's default templates."""
    installed = Path(str(resources.files("kbik") / "templates"))
    if installed.is_dir():
        return installed
    # A source checkout or editable install: the top-level templates/ folder.
    return Path(__file__).resolve().parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


def _yaml_scalar(value: Any) -> str:
    """Write a value as a one-line YAML flow scalar or list, quoted only where needed."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text: str = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _md_cell(value: Any) -> str:
    """Make a value safe inside a Markdown table cell."""
    if value is None or value == "":
        return "-"
    return " ".join(str(value).split()).replace("|", "\\|")


def _figures(
    figures: Mapping[str, Any] | Any, indicators: Mapping[str, Indicator], language: str
) -> str:
    """Write figures as ``PAR 15% (memadai), peserta_pwk 12``."""
    pairs = figures.items() if isinstance(figures, Mapping) else figures
    return ", ".join(describe(name, value, indicators, language) for name, value in pairs)


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


def environment(
    workspace_root: Path | None,
    language: str = "id",
    indicators: Mapping[str, Indicator] = DEFAULT_INDICATORS,
) -> SandboxedEnvironment:
    """Build the environment that every kbik template is rendered in.

    The sandbox keeps workspace templates from reaching Python internals; session
    text only ever enters as data, so ``{{ }}`` in a note is printed, not run.
    """
    loaders = []
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        loaders.append(FileSystemLoader(workspace_root / "templates", encoding="utf-8"))
    loaders.append(FileSystemLoader(default_templates(), encoding="utf-8"))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=lambda day: dates.long_date(day, language),
        medium_date=lambda day: dates.medium_date(day, language),
        short_date=lambda day: dates.short_date(day, language),
        yaml=_yaml_scalar,
        md_cell=_md_cell,
        paragraphs=_paragraphs,
        whatsapp=_whatsapp,
        figures=lambda figures: _figures(figures, indicators, language),
        status_colour=colour,
        status_code=code,
    )
    env.globals["revived"] = is_revival
    return env


def render(
    env: SandboxedEnvironment,
    names: list[str],
    context: Mapping[str, Any],
    template_file: Path | None = None,
) -> str:
    """Render the first template found among ``names`` (or the given file)."""
    try:
        if template_file is not None:
            try:
                source = template_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise UsageError(f"cannot read template {template_file}: {error}") from None
            template = env.from_string(source)
        else:
            template = env.select_template(names)
        return template.render(context)
    except TemplateNotFound as error:
        raise ConfigError(f"template not found: {error.name}") from None
    except TemplateError as error:
        where = getattr(error, "filename", None) or (template_file or names[0])
        line = getattr(error, "lineno", None)
        location = f"{where}:{line}" if line else str(where)
        raise ConfigError(f"{location}: error: template failed: {error}") from None


def template_sources(workspace_root: Path) -> list[tuple[str, str]]:
    """Every template name, with the file it is read from (the workspace's first)."""
    found: dict[str, str] = {}
    own = workspace_root / "templates"
    defaults = default_templates()
    for folder, label in ((own, "workspace"), (defaults, "default")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.j2")):
            if path.name not in found:
                where = path if label == "default" else path.relative_to(workspace_root)
                found[path.name] = f"{label}: {where}"
    return sorted(found.items())


def copy_default(workspace_root: Path, name: str) -> Path:
    """Copy a default template into the workspace's templates/; never overwrite one."""
    from kbik.errors import UsageError
    from kbik.files import create_new
    from kbik.names import did_you_mean

    defaults = {path.name: path for path in default_templates().glob("*.j2")}
    if name not in defaults:
        hint = did_you_mean(name, defaults)
        raise UsageError(f"no default template '{name}'{hint}; see 'kbik templates list'")
    target = workspace_root / "templates" / name
    if target.resolve() == defaults[name].resolve():
        raise UsageError(f"{target} is the default itself: this workspace already uses it")
    create_new(target, defaults[name].read_text(encoding="utf-8"))
    return target
