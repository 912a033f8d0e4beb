from linter.core.errors import Problem
from linter.core.located import LocatedDict, LocatedList
from linter.core.yaml_source import load_yaml

TEXT = """\
pack: core
rules:
  - id: cure-claim
    tags: [a, "b"]
    count: 3
    on: yes
"""


def test_values_are_plain_python_types():
    data, problems = load_yaml("f.yaml", TEXT)
    assert problems == []
    assert data == {"pack": "core", "rules": [{"id": "cure-claim", "tags": ["a", "b"], "count": 3, True: True}]}
    assert isinstance(data, dict) and isinstance(data["rules"], list)


def test_positions_of_nodes_keys_values_and_items():
    data, _ = load_yaml("f.yaml", TEXT)
    assert isinstance(data, LocatedDict)
    assert data.at == (1, 1)
    assert data.key_at("rules") == (2, 1)
    assert data.where("pack") == (1, 7)
    rules = data["rules"]
    assert isinstance(rules, LocatedList)
    assert rules.at == (3, 3)
    assert rules.where(0) == (3, 5)
    rule = rules[0]
    assert rule.at == (3, 5)
    assert rule.key_at("tags") == (4, 5)
    assert rule.where("tags") == (4, 11)
    assert rule["tags"].where(1) == (4, 15)
    assert rule.where("count") == (5, 12)


def test_unknown_keys_and_indexes_fall_back_to_the_node():
    data, _ = load_yaml("f.yaml", TEXT)
    assert data.where("nope") == (1, 1)
    assert data["rules"].where(7) == (3, 3)


def test_duplicate_keys_are_problems_and_the_first_value_is_kept():
    data, problems = load_yaml("f.yaml", "a: 1\nb: 2\na: 3\n")
    assert data == {"a": 1, "b": 2}
    assert [str(p) for p in problems] == ["f.yaml:3:1: duplicate key 'a' (first defined at line 1)"]


def test_merge_keys_may_be_overridden():
    data, problems = load_yaml("f.yaml", "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  x: 3\n")
    assert problems == []
    assert data["use"] == {"x": 3, "y": 2}


def test_syntax_error_has_line_and_column():
    data, problems = load_yaml("f.yaml", "a: [1, 2\nb: 3\n")
    assert data is None
    assert problems == [
        Problem("f.yaml", 2, 2, "invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence at line 1)")
    ]


def test_python_tags_are_refused():
    data, problems = load_yaml("f.yaml", "a: !!python/object/apply:os.system [ls]\n")
    assert data is None
    assert str(problems[0]).startswith("f.yaml:1:4: invalid YAML: could not determine a constructor for the tag")


def test_several_documents_are_an_error():
    _, problems = load_yaml("f.yaml", "a: 1\n---\nb: 2\n")
    assert [str(p) for p in problems] == [
        "f.yaml:2:1: invalid YAML: but found another document (expected a single document in the stream at line 1)"
    ]


def test_empty_document_is_none_without_problems():
    assert load_yaml("f.yaml", "") == (None, [])
    assert load_yaml("f.yaml", "# only a comment\n") == (None, [])


def test_aliases_share_the_constructed_value():
    data, problems = load_yaml("f.yaml", "a: &x [1, 2]\nb: *x\n")
    assert problems == []
    assert data["b"] is data["a"]
    assert data["b"].where(1) == (1, 11)
