"""The baseline: what a user would write without kbik. Latest status per kelurahan.

python bench/naive.py WORKSPACE
"""

from __future__ import annotations

import glob
import json
import sys

import frontmatter


def main(root: str) -> None:
    latest: dict[str, tuple[str, str]] = {}
    for path in sorted(glob.glob(f"{root}/meetings/**/*.md", recursive=True)):
        post = frontmatter.load(path)
        day = str(post.get("date"))
        for name, value in (post.get("kelurahan") or {}).items():
            status = value.get("status") if isinstance(value, dict) else value
            if status and (name not in latest or latest[name][0] <= day):
                latest[name] = (day, status)
    json.dump({name: status for name, (_, status) in sorted(latest.items())}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
