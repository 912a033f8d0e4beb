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
MAX_RULES_PER_PACK = 1_000
MAX_MATCH_ITEMS = 500  # phrases + lemmas + patterns + dependency patterns of one `match`
MAX_PATTERN_TOKENS = 50  # tokens in one token or dependency pattern
MAX_PHRASE_CHARS = 500  # one phrase or lemma sequence
MAX_LEXICON_TERMS = 20_000
MAX_REGEX_CHARS = 200  # one REGEX in a token pattern
# Time one REGEX may take over all its adversarial probes at load time; each
# probe is at most MAX_TOKEN_CHARS long, the longest text a REGEX ever sees.
REGEX_PROBE_SECONDS = 0.25
