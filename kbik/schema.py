"""A JSON Schema of the session front matter, for editors that complete and check YAML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kbik.config import Config
from kbik.i18n import message
from kbik.problems import Problem

SCHEMA_FILE = "kbik-schema.json"  # what kbik init writes, for editors

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
TEXT = {"type": ["string", "number"]}


def front_matter_schema(config: Config) -> dict[str, Any]:
    """Return the schema, with the workspace's status words, kelurahan and teams as choices.

    Shared parts are written once under ``$defs`` and referred to, so the schema
    grows with the roster, not with the roster squared.
    """
    statuses = list(config.statuses)
    team: dict[str, Any] = {"type": "integer", "minimum": 1}
    if config.teams:
        # The roster's numbers are offered; another is only a warning in kbik validate.
        team = {"anyOf": [{"enum": [t.number for t in config.teams]}, team]}
    people = list(config.roster_people)
    person: dict[str, Any] = {"type": ["string", "number"]}
    if people:
        person = {"anyOf": [{"enum": people}, person]}  # suggested, not required
    entry = {
        "anyOf": [
            {"type": "null", "description": "Not discussed in this session"},
            _ref("status"),
            {
                "type": "object",
                "properties": {
                    "status": _ref("status"),
                    "previous": _ref("status"),
                    "note": _ref("text"),
                    "team": _ref("team"),
                    "figures": {
                        "type": "object",
                        "additionalProperties": {"type": "number"},
                    },
                },
                "additionalProperties": False,
            },
        ]
    }
    names = list(dict.fromkeys(config.known_names))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{config.group} session (kbik)",
        "type": "object",
        "required": ["date", "attendees"],
        "$defs": {
            "date": DATE,
            "text": TEXT,
            "status": {"type": "string", "enum": statuses, "description": "Status word"},
            "team": team,
            "person": person,
            "entry": entry,
        },
        "properties": {
            "date": _ref("date"),
            "title": _ref("text"),
            "place": _ref("text"),
            "facilitator": _ref("text"),
            "notetaker": _ref("text"),
            "note": _ref("text"),
            "attendees": {"type": "array", "items": _ref("person")},
            "absent": {
                "type": "array",
                "items": {
                    "anyOf": [
                        _ref("team"),
                        {
                            "type": "object",
                            "required": ["team"],
                            "properties": {
                                "team": _ref("team"),
                                "reason": _ref("text"),
                                "handover": _ref("text"),
                            },
                            "additionalProperties": False,
                        },
                    ]
                },
            },
            "topics": {"type": "array", "items": _ref("text")},
            "kelurahan": {
                "type": "object",
                # Known names are offered for completion; others are only a warning.
                "properties": {name: _ref("entry") for name in names},
                "additionalProperties": _ref("entry"),
            },
            "followups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["action"],
                    "properties": {
                        "id": _ref("text"),
                        "action": _ref("text"),
                        "team": _ref("team"),
                        "kelurahan": {
                            "anyOf": [{"type": "string"}, {"type": "array", "items": _ref("text")}]
                        },
                        "due": _ref("date"),
                        "done": {"anyOf": [{"type": "boolean"}, _ref("date")]},
                    },
                },
            },
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def stale_schema(root: Path, config: Config) -> Problem | None:
    """Say that the workspace's kbik-schema.json no longer matches kbik.toml (a kelurahan
    added to the roster, say): editors would flag the new name, or offer an old one."""
    try:
        written = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        written = None
    if written == front_matter_schema(config):
        return None
    return Problem(
        SCHEMA_FILE,
        "warning",
        "stale-schema",
        message(
            config.language,
            "out of date with kbik.toml (its roster or status words changed), so editors "
            "check session files against the old ones: write it again with 'kbik schema > "
            "{file}'",
            file=SCHEMA_FILE,
        ),
    )
