"""Hypothesis strategies and the properties checked on them, shared by the
property tests, the fuzz tests (tests/robustness/) and the long fuzz runs
(fuzz/run.py).

Documents are built from real health-marketing copy (fragments written for
these tests, in the style of clinic and supplement pages), wrapped in
Markdown or HTML markup and mixed with noise: the characters every reader
treats specially, odd whitespace, entities, line endings of all three kinds.
"""

from __future__ import annotations

import codecs
from typing import Any

from hypothesis import strategies as st

from linter.core.errors import InputError
from linter.read import read_document

# --- copy -----------------------------------------------------------------------------

CLAIMS = (
    "Our CBD oil cures arthritis.",
    "Ketamine infusions relieve depression in hours.",
    "Guaranteed results in 7 days or your money back!",
    "Clinically proven to reverse type 2 diabetes.",
    "100% safe and effective, with no side effects.",
    "You don’t have to suffer anymore.",
    "This miracle tea melts belly fat overnight.",
    "9 out of 10 patients felt better after one session.",
    "Our clinic treats migraines, PTSD and chronic pain.",
    "Naturopathic drops heal eczema permanently!",
    "Stop taking your antidepressants and try our detox instead.",
    "Studies show that our supplement boosts immunity.",
    "“It cured my insomnia,” says Jane, 54.",
    "FDA-approved ketamine for anxiety, at home.",
    "The only treatment that works when nothing else does.",
)
HONEST = (
    "It is not a complete cure for chronic pain.",
    "Ketamine may help some patients with treatment-resistant depression.",
    "Can CBD cure anxiety?",
    "Advocates claim that it can cure cancer, but there is no evidence.",
    "If our tea cured arthritis, we would say so.",
    "Results vary from person to person.",
    "This statement has not been evaluated by the Food and Drug Administration.",
    "Talk to your doctor before starting any new treatment.",
    "Book a free consultation with our team.",
    "Steep the tea for four minutes and enjoy it warm.",
    "Naïve café owners love crème brûlée 🌿 — don’t they?",
)
FRAGMENTS = CLAIMS + HONEST
SPECIAL = "<>&;#*_`[]()!\\-=|:\"'/.?~+{}$%^@"
WEIRD = "\u00a0\u200b\u2028\u2029\u00ad\ufeff\ufffd\x0b\x0c\x85é“”‘’—…🌿"
LINE_ENDINGS = ("\n", "\r\n", "\r")
ENTITIES = ("&amp;", "&nbsp;", "&#8217;", "&hellip;", "&lt;", "&copy", "&#x1F33F;", "&bogus;", "&#99999999;", "&")

sentence = st.sampled_from(FRAGMENTS)
noise = st.text(alphabet=st.sampled_from(SPECIAL + WEIRD + " \t\nabcXYZ09"), max_size=12)
line_ending = st.sampled_from(LINE_ENDINGS)


@st.composite
def words(draw: Any) -> str:
    """A run of copy with occasional noise between sentences."""
    parts = draw(st.lists(st.one_of(sentence, sentence, noise, st.sampled_from(ENTITIES)), min_size=1, max_size=5))
    return " ".join(parts)


# --- documents -------------------------------------------------------------------------


@st.composite
def markdown_documents(draw: Any) -> str:
    end = draw(line_ending)
    blocks = []
    if draw(st.booleans()):
        title = draw(sentence).replace('"', "'")
        blocks.append(f"---{end}title: \"{title}\"{end}tags: [health]{end}---")
    for _ in range(draw(st.integers(1, 6))):
        text = draw(words())
        kind = draw(st.sampled_from(["p", "h", "list", "quote", "table", "code", "emph", "link", "html", "fence"]))
        if kind == "h":
            text = "#" * draw(st.integers(1, 6)) + " " + text
        elif kind == "list":
            text = end.join(draw(st.sampled_from(["- ", "* ", "1. ", "  - "])) + draw(words()) for _ in range(draw(st.integers(1, 3))))
        elif kind == "quote":
            text = "> " * draw(st.integers(1, 4)) + text
        elif kind == "table":
            text = f"| a | b |{end}|---|---|{end}| {draw(sentence)} | {draw(sentence)} |"
        elif kind == "code":
            text = f"Use `{draw(noise)}` then {text}"
        elif kind == "emph":
            text = f"*{draw(sentence)}* and **{text}**"
        elif kind == "link":
            text = f"[{draw(sentence)}](http://example.com/{draw(st.integers(0, 99))}) ![{text}](img.png \"t\")"
        elif kind == "html":
            text = f"<span>{text}</span> <!-- {draw(noise)} -->"
        elif kind == "fence":
            text = f"```{end}{text}{end}```"
        blocks.append(text)
    return (end + end).join(blocks) + draw(st.sampled_from(["", end]))


@st.composite
def html_documents(draw: Any) -> str:
    end = draw(line_ending)
    parts = ["<html><head><title>" + draw(sentence) + "</title>"]
    if draw(st.booleans()):
        parts.append(f'<meta name="description" content="{draw(sentence)}">')
    parts.append("</head><body>")
    for _ in range(draw(st.integers(1, 6))):
        text = draw(words())
        tag = draw(st.sampled_from(["p", "div", "h1", "li", "td", "blockquote"]))
        inline = draw(st.sampled_from(["", "b", "i", "span", "a"]))
        if inline:
            text = f"<{inline}>{text}</{inline}>"
        extra = draw(
            st.sampled_from(
                ["", f'<img alt="{draw(sentence)}">', "<script>var x = '<p>cures</p>';</script>", "<!-- c -->", "<br>", "<p>unclosed"]
            )
        )
        closing = draw(st.sampled_from([f"</{tag}>", ""]))
        parts.append(f"<{tag}>{text}{extra}{closing}")
    parts.append("</body></html>")
    return end.join(parts)


@st.composite
def text_documents(draw: Any) -> str:
    end = draw(line_ending)
    paragraphs = [end.join(draw(words()) for _ in range(draw(st.integers(1, 3)))) for _ in range(draw(st.integers(1, 5)))]
    return (end * draw(st.integers(2, 3))).join(paragraphs)


DOCUMENTS = {"md": markdown_documents(), "html": html_documents(), "txt": text_documents()}


@st.composite
def named_documents(draw: Any) -> tuple[str, str]:
    """(file name, source) of any format."""
    extension = draw(st.sampled_from(sorted(DOCUMENTS)))
    return f"doc.{extension}", draw(DOCUMENTS[extension])


# --- raw input for the readers ---------------------------------------------------------


def encodings(text: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(
        [
            text.encode("utf-8", "surrogatepass"),
            codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass"),
            codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass"),
            codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass"),
        ]
    )


markup_text = st.text(alphabet=st.sampled_from(SPECIAL + WEIRD + " \t\n\r\x00abcdeXYZ019"), max_size=200)
any_text = st.text(max_size=200)


@st.composite
def reader_inputs(draw: Any, document: st.SearchStrategy[str]) -> bytes:
    """Bytes for a reader: real documents mutated with noise, markup soup, any text, any bytes."""
    choice = draw(st.integers(0, 9))
    if choice < 4:
        base = draw(document)
        if base and draw(st.booleans()):
            cut = draw(st.integers(0, len(base)))
            base = base[:cut] + draw(markup_text) + base[cut:]
        text = base
    elif choice < 7:
        text = draw(markup_text)
    elif choice < 9:
        text = draw(any_text)
    else:
        return draw(st.binary(max_size=300))
    return draw(encodings(text))


# --- properties --------------------------------------------------------------------------


def read_or_input_error(name: str, data: bytes):
    """A reader either returns a Document or raises InputError, nothing else."""
    try:
        return read_document(name, data)
    except InputError as error:
        assert str(error).startswith(name) and "\n" not in str(error)
        return None


# --- rule files ------------------------------------------------------------------------

VALID_PACK = """\
pack: fuzz
rules:
  - id: fuzz-cure
    category: cure
    severity: error
    message: "“{match}” is a cure claim."
    source: FDCA 201(g)(1)
    suggest: Describe what studies found.
    match:
      phrases: [miracle cure]
      lemmas: ["cure for"]
      patterns:
        - [{LEMMA: cure}, {LOWER: {IN: [gout, eczema]}}, {TEXT: {REGEX: "(s|ed)$"}, OP: "?"}]
      dependency:
        - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: cure, POS: VERB}}
          - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: object, RIGHT_ATTRS: {DEP: dobj}}
    unless: [negated, hedged]
    examples:
      fire: ["Our tea cures gout."]
      pass: ["Nothing cures gout."]
"""
YAML_SPECIAL = ":-[]{},&*!|>'\"%@`#?\n\t \\"


@st.composite
def rule_files(draw: Any) -> str:
    """A valid pack mutated: characters inserted, deleted or replaced, or lines shuffled in."""
    text = VALID_PACK
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "line"]))
        if action == "insert":
            text = text[:position] + draw(st.text(alphabet=st.sampled_from(YAML_SPECIAL + "aZ0é\x00"), max_size=8)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 20)) :]
        elif action == "replace":
            text = text[:position] + draw(st.sampled_from(YAML_SPECIAL)) + text[position + 1 :]
        else:
            line = draw(
                st.sampled_from(
                    [
                        "a: &a [*a]",
                        "b: !!python/object:os.system x",
                        "c: 2021-02-30",
                        "d: " + "[" * 80 + "]" * 80,
                        "        - [{TEXT: {REGEX: \"(a+)+$\"}}]",
                        "        - [{LOWER: {REGEX: \"[\"}}]",
                        "        - [{LEX: nothing}]",
                        "        - []",
                        "      phrases: *a",
                        "<<: {x: 1}",
                        '        - [{LOWER: a}, {OP: "{0,50}"}, {LOWER: b}, {OP: "{1,50}"}]',
                        "        - [{TEXT: {REGEX: \"a\\\\w*b\\\\w*c\\\\w*d\\\\w*e\\\\w*$\"}}]",
                    ]
                )
            )
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines)))
            text = "\n".join(lines[:index] + [line] + lines[index:])
    return text


# --- the shapes of issue 17 ------------------------------------------------------------
# Long runs the scans once took quadratic time on (letters, CJK, `a*`, stray
# `&#`...), whitespace and invisible characters between the words of a claim,
# HTML blocks in Markdown, and front matter PyYAML cannot read.

SPACES = (" ", "  ", "\t", "\u00a0", "\u2009", "\u2003", "&nbsp;", "\u200b", "\u00ad", "\u2060", " \u200b ", "   \t ")
RUNS = ("a", "\u6cbb", "\u6cbb\u7642", "a*", "_a", "`a ", "[a ", '"a ', "\u201ca ", "&#", "1a", "cur\u0435s ", " ", "\t \u00a0")
HTML_BLOCKS = ("<div>{}</div>", '<p align="center">\n{}\n</p>', "<details>\n<summary>x</summary>\n{}\n</details>",
               '<Callout type="tip">\n  {}\n</Callout>', "<!-- note --> {}", "<pre>\n{}\n</pre>")
FRONT_MATTER = ('title: "{}"', 'title: "\\U00110000 {}"', 'title: "\\uD800 {}"', "loop: &a [1, *a]\ntitle: {}",
                "title: " + "[" * 70 + "]" * 70, "overclaim: {{market: uk}}\ntitle: {}")


@st.composite
def shaped_documents(draw: Any, max_run: int = 20_000) -> tuple[str, bytes]:
    """(file name, bytes): a claim with odd spacing, a long run, an HTML block
    holding the claim and a plain sentence, in any order; Markdown may open
    with front matter."""
    claim = draw(st.sampled_from(CLAIMS))
    spaced = "".join(word + draw(st.sampled_from(SPACES)) for word in claim.split(" ")).rstrip()
    run = draw(st.sampled_from(RUNS)) * draw(st.integers(1, max_run))
    block = draw(st.sampled_from(HTML_BLOCKS)).format(spaced)
    extension = draw(st.sampled_from(("md", "md", "html", "txt")))
    parts = draw(st.permutations([spaced, run, block, draw(st.sampled_from(FRAGMENTS))]))
    if extension == "md" and draw(st.booleans()):
        front = draw(st.sampled_from(FRONT_MATTER)).format(claim.replace('"', "'"))
        parts = [f"---\n{front}\n---", *parts]
    return f"fuzz.{extension}", "\n\n".join(parts).encode("utf-8")


@st.composite
def mutated_cache_entries(draw: Any, good: bytes, header: dict) -> bytes:
    """A rule-cache entry with bytes replaced, deleted or inserted; half of
    them re-signed (a valid SHA-256 over the mutated body), as someone who
    can write the cache could."""
    import hashlib
    import json

    data = bytearray(good)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.integers(0, 2))
        if action == 0:
            data[position] = draw(st.integers(0, 255))
        elif action == 1:
            del data[position : position + draw(st.integers(1, 50))]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=20))
    if draw(st.booleans()):
        _, _, body = bytes(data).partition(b"\n")
        signed = dict(header, sha256=hashlib.sha256(body).hexdigest())
        data = bytearray(json.dumps(signed).encode() + b"\n" + body)
    return bytes(data)
