"""Reading session files: encodings, fences, YAML positions, refused YAML."""

from __future__ import annotations

import time
import tracemalloc

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbik.documents import parse_document


def codes(raw: bytes) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in parse_document(raw, "x.md").problems]


def test_values_and_keys_carry_their_line_in_the_file() -> None:
    doc = parse_document(
        b"---\ndate: 2016-05-11\nkelurahan:\n  Opas: bergulir\n---\nbody\n", "x.md"
    )
    assert doc.data == {
        "date": __import__("datetime").date(2016, 5, 11),
        "kelurahan": {"Opas": "bergulir"},
    }
    assert doc.position(("kelurahan", "Opas")) == (4, 9)
    assert doc.position(("kelurahan", "Nowhere")) == (4, 3)  # nearest: the mapping
    assert doc.position(("kelurahan", "Opas"), key=True) == (4, 3)
    assert (doc.body, doc.body_line) == ("body", 6)


def test_the_body_keeps_its_line_numbers_after_blank_lines_and_a_fence_with_spaces() -> None:
    # python-frontmatter splits and strips; its own fence rule would run on across the
    # blank lines, kbik's keeps a fence within its line.
    doc = parse_document(b"---\ndate: 2016-05-11\n---  \n\n\n## Tim 1\ntext\n", "x.md")
    assert doc.data is not None and not doc.problems
    assert (doc.body, doc.body_line) == ("## Tim 1\ntext", 6)


def test_a_file_of_only_front_matter_has_no_body() -> None:
    doc = parse_document(b"---\ndate: 2016-05-11\n---", "x.md")
    assert (doc.data, doc.body, doc.body_line) == (
        {"date": __import__("datetime").date(2016, 5, 11)},
        "",
        0,
    )


def test_bom_and_crlf_are_normal_input() -> None:
    doc = parse_document(b"\xef\xbb\xbf---\r\ndate: 2016-05-11\r\n---\r\nteks\r\n", "x.md")
    assert doc.problems == ()
    assert doc.data is not None and "date" in doc.data
    assert doc.body == "teks"


def test_missing_and_unclosed_front_matter() -> None:
    assert codes(b"just text\n") == [("no-front-matter", 1)]
    assert codes(b"") == [("no-front-matter", 1)]
    assert codes(b"---\ndate: 2016-05-11\n") == [("unclosed-front-matter", 1)]


def test_only_fences_is_an_empty_mapping() -> None:
    doc = parse_document(b"---\n---\n", "x.md")
    assert doc.data == {} and doc.problems == ()


def test_yaml_syntax_error_is_at_its_line_in_the_file() -> None:
    raw = b"---\ndate: 2016-05-11\nattendees: [Iwan, Yuri\ntopics: []\n---\n"
    [(code, line)] = codes(raw)
    assert code == "yaml-syntax"
    assert line == 3  # where the '[' that is never closed opens


def test_duplicate_key_names_both_lines() -> None:
    doc = parse_document(b"---\ndate: 2016-05-11\nplace: A\nplace: B\n---\n", "x.md")
    [problem] = doc.problems
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 4, 1)
    assert "line 3" in problem.message
    assert doc.data is not None and doc.data["place"] == "A"


def test_front_matter_that_is_a_list_is_refused() -> None:
    assert codes(b"---\n- a\n- b\n---\n") == [("not-a-mapping", 2)]


def test_python_tags_are_refused_not_run() -> None:
    raw = b"---\ndate: 2016-05-11\nx: !!python/object/apply:os.system [echo pwned]\n---\n"
    assert codes(raw) == [("yaml-tag", 3)]
    assert codes(b"---\nx: !custom 1\n---\n") == [("yaml-tag", 2)]


def test_billion_laughs_is_refused_fast_and_small() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    raw = ("---\n" + "\n".join(lines) + "\n---\n").encode()
    tracemalloc.start()
    started = time.perf_counter()
    result = codes(raw)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result == [("yaml-alias", 3)]
    assert elapsed < 1.0
    assert peak < 100 * 1024 * 1024


def test_encodings_other_than_utf8_are_named() -> None:
    assert codes("---\ndate: 2016-05-11\n---\n".encode("utf-16")) == [("not-utf8", 1)]
    assert codes("---\nplace: Kantor Lurah Ampui é\n---\n".encode("latin-1")) == [("not-utf8", 2)]
    assert codes(b"---\nx: a\x00b\n---\n") == [("nul-byte", 2)]


def test_merge_conflict_is_named_as_such() -> None:
    raw = b"---\ndate: 2016-05-11\n<<<<<<< HEAD\nplace: A\n=======\nplace: B\n>>>>>>> x\n---\n"
    assert codes(raw) == [("merge-conflict", 3)]


def test_dates_that_are_not_iso_stay_text() -> None:
    doc = parse_document(b"---\na: 2016-5-11\nb: 2016-02-30\nc: 11 Mei 2016\n---\n", "x.md")
    assert doc.data == {"a": "2016-5-11", "b": "2016-02-30", "c": "11 Mei 2016"}


def test_deep_nesting_is_refused() -> None:
    deep = "x: " + "[" * 200 + "]" * 200
    [(code, _)] = codes(f"---\n{deep}\n---\n".encode())
    assert code in ("too-deep", "yaml-syntax")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_document_never_an_exception(raw: bytes) -> None:
    doc = parse_document(raw, "x.md")
    assert doc.data is not None or doc.problems
    for problem in doc.problems:
        assert problem.path == "x.md"
        assert problem.line is None or problem.line >= 1


# YAML also breaks lines at NEL, LS and PS, which PyYAML's dumper writes raw; a text
# editor does not, so those are left out of generated text.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029"),
    max_size=20,
)
scalars = st.one_of(text, st.integers(), st.booleans(), st.none())
trees = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(alphabet="abcdefgh", min_size=1, max_size=6), children, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet="abcdefgh", min_size=1, max_size=6), trees, max_size=6))
def test_any_yaml_mapping_reads_back_with_positions_inside_the_file(data: dict) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nbody\n"
    doc = parse_document(text.encode(), "x.md")
    assert doc.problems == ()
    assert doc.data == data
    lines = text.split("\n")
    for path in paths(data):
        for key in (False, True):
            position = doc.position(path, key=key)
            assert position is not None
            line, column = position
            assert 2 <= line <= len(lines) and column >= 1
        line, column = doc.position(path, key=True)
        if isinstance(path[-1], str):
            assert lines[line - 1][column - 1 :].lstrip("'\"").startswith(path[-1][:1])


def paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside nested dicts and lists."""
    found = []
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for part, child in items:
        found.append((*prefix, part))
        found += paths(child, (*prefix, part))
    return found


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=12),
    st.sampled_from([(True, False), (False, True), (True, True), (False, False)]),
    st.sampled_from([yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode]),
)
def test_fast_resolver_types_nodes_as_pyyaml_does(value: str, implicit, kind) -> None:
    from kbik.documents import _Loader

    if kind is not yaml.ScalarNode:
        value, implicit = None, implicit[0]  # as libyaml asks for collections
    expected = yaml.SafeLoader.resolve(yaml.SafeLoader(""), kind, value, implicit)
    assert _Loader("").resolve(kind, value, implicit) == expected
    assert _Loader("").resolve(kind, value, implicit) == expected  # remembered, the same


def test_remembered_tags_are_cleared_after_so_much_text(monkeypatch) -> None:
    """What the resolver remembers is bounded by the text parsed since it was cleared."""
    from kbik import documents

    monkeypatch.setattr(documents, "_REMEMBER_UP_TO", 200)
    documents._resolve.cache_clear()
    one = b"---\ndate: 2016-05-11\nnote: %d %s\n---\n"
    parse_document(one % (0, b"x" * 150), "x.md")
    assert documents._resolve.cache_info().currsize > 0
    remembered = documents._resolve.cache_info().currsize
    parse_document(one % (1, b"y" * 150), "x.md")  # over 200 characters: cleared first
    assert documents._resolve.cache_info().currsize <= remembered


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["---", "----", "--- ", "-- -", " ---", "---x", "a", "", "\t---"]),
        max_size=10,
    )
)
def test_closing_fence_is_the_first_fence_line_after_the_first(lines: list[str]) -> None:
    from kbik.documents import _FENCE_LINE, _closing_fence

    text = "\n".join(lines)
    first_end = text.find("\n")
    expected = _FENCE_LINE.search(text, first_end + 1) if first_end >= 0 else None
    found = _closing_fence(text)
    assert (found and found.span()) == (expected and expected.span())


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                "---",
                "----",
                "date: 2016-05-11",
                "attendees: []",
                "",
                "## Tim 1",
                "teks",
                "\r",
                " ---",
            ]
        ),
        max_size=12,
    )
)
def test_read_body_agrees_with_the_full_parse(tmp_path_factory, parts: list[str]) -> None:
    """The body a report reads back is the body the parser found."""
    from kbik.documents import read_body

    raw = "\n".join(parts).encode("utf-8")
    path = tmp_path_factory.mktemp("body") / "x.md"
    path.write_bytes(raw)
    parsed = parse_document(raw, "x.md")
    if parsed.body:
        assert read_body(path) == parsed.body


def test_a_file_is_read_whole_even_when_it_grew_after_its_stat(tmp_path, monkeypatch) -> None:
    import os

    from kbik import documents

    path = tmp_path / "x.md"
    path.write_bytes(b"---\ndate: 2016-05-11\n---\n" + b"teks\n" * 10_000)
    raw, stat = documents.read_stat(path, "x.md")
    assert raw == path.read_bytes() and stat is not None and stat.st_size == len(raw)
    real = os.fstat

    def earlier(fd: int) -> os.stat_result:  # as fstat saw it before a writer appended
        found = real(fd)
        return os.stat_result((*found[:6], 10, *found[7:]))

    monkeypatch.setattr(documents.os, "fstat", earlier)
    raw, stat = documents.read_stat(path, "x.md")
    assert raw == path.read_bytes() and stat is not None and stat.st_size == 10


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"[-+]?[0-9_]{1,6}", fullmatch=True),
        st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{2}:[0-9]{2})?", fullmatch=True),
        st.sampled_from(["", "~", "null", "Null", "true", "no", "0", "00", "0o17", "0x1F", "1:30"]),
        st.text(alphabet="0123456789.-_:xoeE+~", max_size=8),
    )
)
def test_plain_values_read_as_pyyaml_reads_them(value: str) -> None:
    """Nulls, numbers and dates as PyYAML gives them; a date with a time stays text."""
    import datetime as dt

    from hypothesis import assume

    source = f"key: {value}\n"
    try:
        expected = yaml.safe_load(source)["key"]
    except (yaml.YAMLError, ValueError):
        assume(False)
    doc = parse_document(f"---\n{source}---\n".encode(), "x.md")
    assume(doc.data is not None)
    found = doc.data["key"]
    if isinstance(expected, dt.datetime):
        assert found == value.strip()
    else:
        assert found == expected and type(found) is type(expected)
