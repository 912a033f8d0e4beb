"""The limits that keep a run bounded in time and memory, in one place.

Each limit is far above what real copy or a real rule pack needs; hitting one
means hostile or broken input, and it is reported as an error naming the file
(and line), never silently worked around.
"""

from __future__ import annotations

# --- files -----------------------------------------------------------------------

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a document to lint (a 30 MB HTML dump fits)
MAX_RULE_FILE_BYTES = 2 * 1024 * 1024  # a rule pack, lexicon or config file

# YAML front matter of a Markdown document: composing YAML takes about 90
# bytes of memory per byte, so it is bounded far below MAX_INPUT_BYTES.
MAX_FRONT_MATTER_CHARS = 256 * 1024

# --- parsing with spaCy ----------------------------------------------------------

# A block of prose longer than this is cut (between sentences where possible)
# into pieces spaCy parses one by one; spaCy's own limit (nlp.max_length) is
# far higher, but its memory grows with the text handed over at once.
CHUNK_CHARS = 50_000
# Pieces are parsed in batches of at most this many pieces and characters
# (peak memory is about 5 kB per character of a batch, with en_core_web_sm).
BATCH_DOCS = 64
BATCH_CHARS = 50_000
# spaCy's tokenizer takes quadratic time on a long run of punctuation without
# whitespace ("!!!!..."); a space is inserted into any run longer than this,
# which also bounds the length of every token a rule's REGEX is run on.
MAX_TOKEN_CHARS = 200

# --- rule files --------------------------------------------------------------------

MAX_YAML_NODES = 200_000  # YAML nodes in one file, counting every alias expansion
MAX_YAML_DEPTH = 64  # nesting of YAML lists and mappings, aliases expanded
# Nesting of arrays and objects in a baseline (JSON) or pyproject.toml: a
# baseline nests 3 deep; Python's parsers recurse and fail far deeper,
# with a RecursionError that says nothing of where.
MAX_DATA_DEPTH = 64
MAX_RULES_PER_PACK = 1_000
MAX_MATCH_ITEMS = 500  # phrases + lemmas + patterns + dependency patterns of one `match`
MAX_PATTERN_TOKENS = 50  # tokens in one token or dependency pattern
MAX_PHRASE_CHARS = 500  # one phrase or lemma sequence
# spaCy's Matcher unrolls "{0,8}" into eight optional tokens and follows every
# way of matching them, without merging equal paths: the work per token
# doubles with each optional token (14 of them that match any word: 8 s on a
# 120-word sentence; "{0,50}" and "{1,50}" in one pattern: std::bad_alloc on a
# 647-byte document). Each "?" counts 1, "{m,n}" counts n - m (a pattern whose
# only quantifier is "{0,n}" or "{1,n}" is run as "*" or "+", see matching);
# each "*", "+" or "{m,}" is an unbounded gap. The shipped rules use at most
# 13 optional tokens and 2 unbounded gaps in a pattern.
MAX_PATTERN_OPTIONAL = 14
MAX_PATTERN_UNBOUNDED = 2
# Even within those limits a token pattern's work grows faster than the
# sentence (two unbounded gaps: cubic), and a "sentence" can be a 50,000-
# character run without a full stop. Token patterns therefore run over
# windows of at most MATCH_WINDOW_TOKENS tokens, each overlapping the next by
# MATCH_WINDOW_OVERLAP: the work per sentence grows linearly with its length.
# A match is found wherever it spans at most the overlap (a real claim spans
# a few dozen tokens; the longest bounded pattern, 50 tokens with a gap of
# 50, fits); only a match stretched by an unbounded gap over more tokens than
# that, in a sentence longer than a window, can be missed.
MATCH_WINDOW_TOKENS = 240
MATCH_WINDOW_OVERLAP = 120
MAX_LEXICON_TERMS = 20_000
# One lexicon term: every term is tokenized and matched at every run (a
# 20,000-character term added 43 s to each run, a 1.1 MB one failed every
# file); the longest shipped term has 5 words.
MAX_TERM_CHARS = 200
MAX_TERM_WORDS = 12
MAX_REGEX_CHARS = 200  # one REGEX in a token pattern
# Time one REGEX may take over all its adversarial probes at load time; each
# probe is at most MAX_TOKEN_CHARS long, the longest text a REGEX ever sees.
REGEX_PROBE_SECONDS = 0.25
