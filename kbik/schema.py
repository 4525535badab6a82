"""A JSON Schema of the session front matter, for editors that complete and check YAML."""

from __future__ import annotations

from typing import Any

from kbik.config import Config

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
TEXT = {"type": ["string", "number"]}


def front_matter_schema(config: Config) -> dict[str, Any]:
    """Return the schema, with the workspace's status words, kelurahan and teams as choices."""
    statuses = list(config.statuses)
    status = {"type": "string", "enum": statuses, "description": "Status word"}
    team: dict[str, Any] = {"type": "integer", "minimum": 1}
    if config.teams:
        # The roster's numbers are offered; another is only a warning in kbik validate.
        team = {"anyOf": [{"enum": [t.number for t in config.teams]}, team]}
    entry = {
        "anyOf": [
            {"type": "null", "description": "Not discussed in this session"},
            status,
            {
                "type": "object",
                "properties": {
                    "status": status,
                    "previous": status,
                    "note": TEXT,
                    "team": team,
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
    people = list(config.roster_people)
    person: dict[str, Any] = {"type": ["string", "number"]}
    if people:
        person = {"anyOf": [{"enum": people}, person]}  # suggested, not required
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{config.group} session (kbik)",
        "type": "object",
        "required": ["date", "attendees"],
        "properties": {
            "date": DATE,
            "title": TEXT,
            "place": TEXT,
            "facilitator": TEXT,
            "notetaker": TEXT,
            "attendees": {"type": "array", "items": person},
            "absent": {
                "type": "array",
                "items": {
                    "anyOf": [
                        team,
                        {
                            "type": "object",
                            "required": ["team"],
                            "properties": {"team": team, "reason": TEXT, "handover": TEXT},
                            "additionalProperties": False,
                        },
                    ]
                },
            },
            "topics": {"type": "array", "items": TEXT},
            "kelurahan": {
                "type": "object",
                # Known names are offered for completion; others are only a warning.
                "properties": {name: entry for name in names},
                "additionalProperties": entry,
            },
            "followups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["action"],
                    "properties": {
                        "id": TEXT,
                        "action": TEXT,
                        "team": team,
                        "kelurahan": {
                            "anyOf": [{"type": "string"}, {"type": "array", "items": TEXT}]
                        },
                        "due": DATE,
                        "done": {"anyOf": [{"type": "boolean"}, DATE]},
                    },
                },
            },
        },
    }
