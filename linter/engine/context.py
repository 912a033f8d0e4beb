"""Context cues from the dependency parse: is this match the writer's claim?

For a match we walk from its anchor token up the dependency tree through the
words that belong to the same predicate ("cure" -> "is" in "it is not a
cure"), stopping at a clause boundary. The tokens on that walk, their
modifiers, and the clauses that govern it decide the cues:

- negated:     a negation on the predicate ("is not a cure", "will not fix",
               "there is no cure"), or a governing "no evidence that ..."
- hedged:      a hedging modal, adverb or verb on the predicate or above it
               ("may help", "appears to relieve", "research suggests ..."),
               or a claim conceded before a denial ("while it can help
               reduce pain, it is not a cure")
- question:    the sentence is a question (not a rhetorical one opening
               with "did you know", "tired of"...: those assert; nor one
               that asks which or how much, "What pain can CBD relieve?",
               "How safe and effective is it?": it takes the claim as given)
- conditional: the match sits inside an "if"/"unless" clause
- reported:    the claim is attributed to others ("advocates claim it can ...",
               "it is claimed to ...", "supposedly")
- quoted:      the match is inside a short quoted fragment (eight words or
               fewer, not a sentence): a phrase the writer mentions
- testimony:   the match is inside a quoted sentence or longer quotation:
               somebody's own words, such as a customer testimonial
- sourced:     the sentence carries a citation or an evidence marker
- described:   the claim is the purpose of a use, prescription, approval or
               study that the text describes ("is used to treat", "doctors
               prescribe it to relieve", "approved for treating"), not one
               the writer makes: the describing verb is passive or has a
               third-person subject ("we use it to heal" and the imperative
               "use it to heal" still promise)
- physiology:  the body, a condition or a habit is what acts ("testosterone
               promotes hair growth", "stress lowers immunity", "regular
               exercise lowers blood pressure"): a description of physiology,
               not a product's effect

The last two are parse-only cues (model.PARSE_ONLY_CUES): only rules that
name them see them.

Tokens inside the match itself never count: "no side effects" and "you don't
have to suffer" are claims *because* of their negation.

The cue words (hedges, reporting verbs...) are lexicons in rules/lexicons/,
read through the token tags set by the tagging stage.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from linter.read.document import Block
    from linter.engine.matching import RawMatch
    from linter.read.offsets import OffsetMap
    from linter.engine.tagging import TokenTags

HEDGES = "hedges"
NEGATIONS = "negations"
REPORTING = "reporting-verbs"
CONDITIONALS = "conditional-markers"
EVIDENCE = "evidence-markers"
RHETORICAL = "rhetorical-questions"
DESCRIPTIONS = "description-verbs"
# What a physiological subject is: the lexicons of conditions, body
# functions and body states, and of the habits of living the body responds to.
BODY_LEXICONS = frozenset({"conditions", "body-functions", "wellness-targets", "lifestyle-habits"})
SECOND_PERSON = frozenset({"you", "your"})
PRODUCT_PRONOUNS = frozenset({"it", "that", "which", "this", "these", "they"})
PRODUCT_LEXICONS = frozenset({"products", "offlabel-prone", "rx-drug", "drugs"})
# Nouns that stand for what is sold, as the user of a describing verb:
# "these treatments use your own cells to heal" promises.
PRODUCT_NOUNS = frozenset({"treatment", "therapy", "procedure", "product", "supplement", "formula", "device", "injection", "infusion", "session", "program", "programme", "protocol"})
CONTRASTIVE = frozenset({"just", "simply", "only", "merely"})
CUE_LEXICONS = (HEDGES, NEGATIONS, REPORTING, CONDITIONALS, EVIDENCE, RHETORICAL)

# Dependencies that start a new clause: the walk up the tree stops there.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis", "pcomp"})
ADJUNCT_DEPS = frozenset({"npadvmod", "advmod"})
MODIFIER_DEPS = frozenset({"aux", "auxpass", "advmod", "neg", "det", "npadvmod", "mark", "preconj"})
FIRST_PERSON = frozenset({"i", "we", "us", "me", "our", "my"})
FIRST_PERSON_WORDS = FIRST_PERSON | {"i'm", "i’m", "i've", "i’ve", "myself", "mine"}
CITATION = re.compile(
    r"\[\d+(?:[,–-]\s*\d+)*\]"  # [1], [2,3]
    r"|\(\s*[A-Z][^()]{0,60}?\d{4}[a-z]?\s*\)"  # (Smith et al., 2021)
    r"|\bdoi:|\bhttps?://|\bwww\.|\bn\s*=\s*\d"
    # a dated study: "a 2022 trial", "a survey published in 2021"
    r"|\b(?:19|20)\d\d\b[^.;]{0,60}?\b(?:study|trial|survey|review|analysis)"
    r"|\b(?:study|trial|survey|review)\b[^.;]{0,60}?\b(?:19|20)\d\d\b"
)


# Every word spaCy's English parser labels `neg` (checked on the test
# corpora; the tests also parse their text and check it again).
NEG_DEPENDENTS = frozenset({"not", "n't", "n’t", "nt", "never", "no"})
CUE_TAGS = frozenset(CUE_LEXICONS)
# Every branch of CITATION (and of LOOSE_CITATION) holds a digit or one of
# these: a text with neither cannot cite, and most sentences have neither
# (the search itself tries eight branches at every character).
_DIGIT = re.compile(r"\d")
_CITATION_WORDS = ("doi:", "://", "www.")


def _may_cite(text: str) -> bool:
    """Could CITATION or LOOSE_CITATION match in `text`? (Cheap: no branch tried.)"""
    return _DIGIT.search(text) is not None or any(word in text for word in _CITATION_WORDS)


def cites(text: str) -> bool:
    """Does `text` hold a citation (CITATION)?"""
    return _may_cite(text) and CITATION.search(text) is not None


# CITATION without its word boundaries: it matches wherever CITATION matches
# in any part of a text, so a text it misses holds no cited sentence.
LOOSE_CITATION = re.compile(CITATION.pattern.replace(r"\b", ""))


def surface_cues(
    doc: "Doc", matches: "Iterable[RawMatch]", quotations: "Quotations", offsets: "OffsetMap", tags: "TokenTags"
) -> "dict[RawMatch, frozenset[str]] | None":
    """The cues of `matches` in a Doc that was only tokenized, where the
    parse cannot change them; None where it might (parse the text then).

    Every cue but quoted and testimony needs a cue word (a tag of the cue
    lexicons, or a word the parser may label `neg`), a question mark or a
    citation; without one they are absent whatever the parse. Negation never
    counts a word of the match itself ("no side effects"), so negation words
    that all lie inside a match cannot negate it. Quoted and testimony
    depend only on where the match's anchor token stands; when every token of
    the match stands in the same quotation (or in none), the parse's choice of
    anchor cannot change them.
    """
    text = doc.text
    if "?" in text or (_may_cite(text) and LOOSE_CITATION.search(text)):
        return None
    negators = set()
    for i, token_tags in tags.items():
        if not CUE_TAGS.isdisjoint(token_tags):
            if not set(token_tags) & CUE_TAGS <= {NEGATIONS}:
                return None
            negators.add(i)
    negators.update(token.i for token in doc if token.lower_ in NEG_DEPENDENTS or token.norm_ in NEG_DEPENDENTS)
    start, end = offsets.source_start(0), offsets.source_end(len(text))
    quoted = quotations.overlaps(start, end)
    found = {}
    for match in matches:
        if not negators <= set(match.nodes):
            return None
        cues: frozenset[str] = frozenset()
        if quoted:
            places = {quotations.place(offsets.source_start(token.idx)) for token in doc[match.start : match.end]}
            if len(places) != 1:
                return None
            cues = places.pop()
        found[match] = cues
    return found


@dataclass(frozen=True)
class Walk:
    """The tokens of the match's own predicate, and the clause heads above it."""

    predicate: tuple["Token", ...]
    governors: tuple[tuple[str, "Token"], ...]  # (dependency that led there, governing token)


def _has_own_subject(token: "Token") -> bool:
    return any(child.dep_ in ("nsubj", "nsubjpass", "aux", "expl") for child in token.children)


def _starts_new_scope(token: "Token") -> bool:
    """Does the step from `token` to its head leave the match's own predicate?

    Clauses start a new scope, and so do adjuncts: in "you don't have to
    suffer thanks to at-home ketamine", the negation of "have" says nothing
    about "at-home ketamine".
    """
    dep = token.dep_
    if dep in CLAUSE_DEPS or dep in ADJUNCT_DEPS:
        return True
    if dep == "prep" and token.head.pos_ in ("VERB", "AUX") and token.head.lemma_ != "be":
        return True
    return dep == "conj" and _has_own_subject(token)


def walk(anchor: "Token") -> Walk:
    predicate = [anchor]
    governors: list[tuple[str, Token]] = []
    token = anchor
    in_predicate = True
    while token.head.i != token.i:
        dep = token.dep_
        if in_predicate and _starts_new_scope(token):
            in_predicate = False
        token = token.head
        (predicate.append(token) if in_predicate else governors.append((dep, token)))
    return Walk(tuple(predicate), tuple(governors))


def _modifiers(token: "Token") -> Iterator["Token"]:
    return (child for child in token.children if child.dep_ in MODIFIER_DEPS)


# A quotation this short names a phrase ("promises “guaranteed results”")
# rather than reporting speech; longer quotations are usually testimonials,
# which are claims all the same.
MENTION_MAX_WORDS = 8


def is_mention(quotation: str) -> bool:
    """A short fragment in quotes ("promises “guaranteed results”") is a
    phrase the writer mentions; a quoted sentence ("“Instant relief every
    time.”"), a first-person quotation ("“my migraines were gone,” says
    Tom") or a long quotation is somebody's words, e.g. a testimonial."""
    inner = quotation[1:-1].rstrip()
    words = inner.split()
    first_person = any(w.strip(",.!?;:’'\"").lower() in FIRST_PERSON_WORDS for w in words)
    return len(words) <= MENTION_MAX_WORDS and not inner.endswith((".", "!", "?")) and not first_person


_QUOTE_MARK = re.compile("[\"“”‘’]")


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks in a block of text."""
    regions: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    closers = {"”": "“", "’": "‘", '"': '"'}
    for mark in _QUOTE_MARK.finditer(text):  # only the marks: a per-character loop is slow
        i, ch = mark.start(), mark.group()
        if ch == '"':
            if '"' in open_at:
                regions.append((open_at.pop('"'), i + 1))
            else:
                open_at['"'] = i
        elif ch in "“":
            open_at[ch] = i
        elif ch == "‘" and (i == 0 or not text[i - 1].isalnum()):
            open_at[ch] = i
        elif ch in ("”", "’") and closers[ch] in open_at:
            # A ’ between letters is an apostrophe ("don’t"), not a closing quote.
            if ch == "’" and i + 1 < len(text) and text[i + 1].isalpha():
                continue
            regions.append((open_at.pop(closers[ch]), i + 1))
    return regions


@dataclass(frozen=True)
class Quotations:
    """A document's quotations in source offsets, sorted: mentioned phrases
    and somebody's words (see `is_mention`)."""

    mentions: tuple[tuple[int, int], ...]
    speech: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, blocks: "Iterable[Block]") -> "Quotations":
        mentions: list[tuple[int, int]] = []
        speech: list[tuple[int, int]] = []
        for block in blocks:
            for a, b in quote_regions(block.text):
                region = block.source_span(a, b)
                (mentions if is_mention(block.text[a:b]) else speech).append(region)
        return cls(tuple(sorted(mentions)), tuple(sorted(speech)))

    def in_mention(self, offset: int) -> bool:
        return _inside(self.mentions, offset)

    def in_speech(self, offset: int) -> bool:
        return _inside(self.speech, offset)

    def place(self, offset: int) -> frozenset[str]:
        """The cues a claim word at `offset` gets from quotation alone
        ("quoted" in a mentioned phrase, "testimony" in somebody's words)."""
        places = (("quoted", self.in_mention(offset)), ("testimony", self.in_speech(offset)))
        return frozenset(name for name, inside in places if inside)

    @cached_property
    def _all(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Starts of every quotation, sorted, and the furthest end reached so far."""
        regions = sorted((*self.mentions, *self.speech))
        furthest, reach = [], 0
        for _, end in regions:
            reach = max(reach, end)
            furthest.append(reach)
        return tuple(a for a, _ in regions), tuple(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        """Does [start, end) overlap any quotation? (A bisection: called once per
        sentence, so a document full of quotes stays linear.)"""
        starts, furthest = self._all
        index = bisect_left(starts, end) - 1
        return index >= 0 and furthest[index] > start


def _inside(regions: tuple[tuple[int, int], ...], offset: int) -> bool:
    index = bisect_right(regions, (offset, float("inf"))) - 1
    return index >= 0 and regions[index][0] < offset < regions[index][1]


class ContextFinder:
    """Computes the cues of matches in one parsed Doc."""

    def __init__(self, doc: "Doc", quotations: "Quotations", offsets: "OffsetMap", tags: "TokenTags") -> None:
        self._doc = doc
        self._quotations = quotations
        self._offsets = offsets
        self._tag_map = tags

    def _tags(self, token: "Token") -> tuple[str, ...]:
        return self._tag_map.get(token.i, ())

    def cues(self, match: "RawMatch") -> frozenset[str]:
        doc = self._doc
        anchor = doc[match.anchor]
        # Only the tokens a pattern named belong to the claim: a dependency
        # match "Ketamine ... safe" must still see the "not" between them.
        inside = set(match.nodes)
        route = walk(anchor)
        sentence = anchor.sent
        found = set()
        if self._negated(route, inside):
            found.add("negated")
        if self._hedged(route, match.anchor, inside) or _conceded(route):
            found.add("hedged")
        if sentence.text.rstrip().endswith("?") and not self._rhetorical(sentence) and not _presupposes(sentence):
            found.add("question")
        if self._conditional(route, inside):
            found.add("conditional")
        # Quotations are found per block, in source offsets: a testimonial
        # can span several sentences, and a sentence is parsed on its own.
        # Judge quotation by the claim word itself: a dependency match can
        # start at a subject outside the quotes ("supplements sold with
        # claims such as “stops the ringing”").
        place = self._quotations.place(self._offsets.source_start(anchor.idx))
        found.update(place)
        # In a customer's own words, "says Maria" attributes a testimonial;
        # it does not distance the writer from the claim.
        if self._reported(route, inside) and "testimony" not in place:
            found.add("reported")
        if self._sourced(sentence, inside):
            found.add("sourced")
        if self._described(route, inside):
            found.add("described")
        if self._physiological(route, inside):
            found.add("physiology")
        return frozenset(found)

    def _negated(self, route: Walk, inside: set[int]) -> bool:
        for token in route.predicate:
            # "doesn't simply mask symptoms", "not only relieves pain": the
            # negation contrasts, it does not deny (the claim is "more than X").
            if any(c.dep_ == "advmod" and c.lower_ in CONTRASTIVE for c in token.children):
                continue
            # The small parser sometimes hangs "not" on the auxiliary ("is not
            # NHS approved": not <- is <- approved), so look one level down too.
            auxiliaries = (c for c in token.children if c.dep_ in ("aux", "auxpass"))
            for child in [*_modifiers(token), *(g for a in auxiliaries for g in a.children if g.dep_ == "neg")]:
                if child.i in inside:
                    continue
                if child.dep_ == "neg" or (NEGATIONS in self._tags(child) and child.dep_ in ("det", "advmod", "preconj")):
                    return True
            if token.i not in inside and NEGATIONS in self._tags(token) and token.dep_ in ("prep", "nsubj"):
                return True  # "without ...", "nothing cures ..."
            for subject in token.children:
                if subject.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if (NEGATIONS in self._tags(subject) and subject.i not in inside) or any(
                    c.dep_ == "det" and NEGATIONS in self._tags(c) and c.i not in inside for c in subject.children
                ):
                    return True  # "no treatment works for everyone", "no studies have shown"
        # "there is no evidence that it cures", "it is not true that it cures":
        # a negated clause or noun directly above a complement clause.
        # The noun's own verb counts too: "reviews have not found good
        # evidence that zinc relieves tinnitus".
        if route.governors and route.governors[0][0] in ("ccomp", "acl", "relcl"):
            for _, governor in route.governors[:2]:
                if any(
                    (c.dep_ == "neg" or (c.dep_ == "det" and NEGATIONS in self._tags(c))) and c.i not in inside
                    for c in governor.children
                ):
                    return True
        return False

    def _hedged(self, route: Walk, anchor: int, inside: set[int]) -> bool:
        # Unlike negation, a hedge inside the match still hedges it ("ketamine
        # may help reduce pain" matched whole): only the claim word itself,
        # the anchor, is exempt, and a hedge word the match holds as a thing
        # ("offers real hope for depression": hope, the noun, is the promise).
        def hedges(token: "Token") -> bool:
            return token.i != anchor and HEDGES in self._tags(token) and not (token.i in inside and token.pos_ == "NOUN")

        tokens = list(route.predicate) + [g for _, g in route.governors]
        for token in tokens:
            if hedges(token):
                return True
            for child in token.children:
                # "helps some people with...": a hedged quantity as object hedges too
                if hedges(child) and child.dep_ in MODIFIER_DEPS | {"nsubj", "dobj"}:
                    return True
        return False

    def _conditional(self, route: Walk, inside: set[int]) -> bool:
        # An "if" marks the head of its own clause, so a claim in the main
        # clause never has it on its way to the root; a claim inside the
        # "if" clause (or nested deeper in one) always does.
        heads = [route.predicate[-1], *(g for _, g in route.governors)]
        return any(
            # "prep": the small parser sometimes tags a sentence-initial "If" as a preposition
            CONDITIONALS in self._tags(child) and child.dep_ in ("mark", "advmod", "prep") and child.i not in inside
            for head in heads
            for child in head.children
        )

    def _reported(self, route: Walk, inside: set[int]) -> bool:
        for token in route.predicate:
            if any(REPORTING in self._tags(c) and c.dep_ == "advmod" and c.i not in inside for c in token.children):
                return True  # "supposedly cures", "allegedly reverses"
            # A reporting verb distances the claim even when a pattern named it
            # ("it is hyped as able to lift depression"); only the claim word
            # itself, the anchor, is exempt.
            if token is not route.predicate[0] and REPORTING in self._tags(token) and token.dep_ != "amod":
                if _reached_as_subject(route.predicate, token):
                    continue  # "98% of users say it works": the claim is who says it
                return not _first_person_subject(token)  # "it is claimed to cure"
        # "advocates claim it cures", "is marketed for treating", "is touted as a cure"
        for dep, governor in route.governors[:3]:
            if REPORTING in self._tags(governor) and dep in ("ccomp", "xcomp", "advcl", "prep", "pcomp"):
                return not _first_person_subject(governor)
        return False

    def _described(self, route: Walk, inside: set[int]) -> bool:
        # The purpose clause of a described use sits a few clauses below the
        # describing verb ("used to treat", "a drug approved for treating").
        describing = [*route.predicate[1:], *(governor for _, governor in route.governors[:6])]
        for verb in describing:
            if verb.i not in inside and DESCRIPTIONS in self._tags(verb):
                return _third_party_or_passive(verb, self._tags)
        return False

    def _physiological(self, route: Walk, inside: set[int]) -> bool:
        for token in route.predicate:
            for subject in token.children:
                if subject.dep_ == "nsubj" and subject.i not in inside and not BODY_LEXICONS.isdisjoint(self._tags(subject)):
                    return True
        return False

    def _rhetorical(self, sentence: "Span") -> bool:
        """ "Did you know that 80% of illnesses start in the gut?" asserts."""
        return any(RHETORICAL in self._tags(token) for token in sentence[:3])

    def _sourced(self, sentence: "Span", inside: set[int]) -> bool:
        if any(EVIDENCE in self._tags(token) and token.i not in inside for token in sentence):
            return True
        return cites(sentence.text)


# "While it can help reduce pain, it is not a cure": a claim conceded in a
# clause whose main clause then denies more is a qualified claim, not a promise.
CONCESSIVE = frozenset({"while", "whilst", "although", "though"})


def _conceded(route: Walk) -> bool:
    if not route.governors or route.governors[0][0] != "advcl":
        return False
    clause, main = route.predicate[-1], route.governors[0][1]
    if not any(child.dep_ == "mark" and child.lower_ in CONCESSIVE for child in clause.children):
        return False
    auxiliaries = [child for child in main.children if child.dep_ in ("aux", "auxpass")]
    return any(child.dep_ == "neg" for token in (main, *auxiliaries) for child in token.children)


def _reached_as_subject(predicate: tuple["Token", ...], verb: "Token") -> bool:
    """Is `verb` reached on the walk from the step of its subject?"""
    index = predicate.index(verb)
    return index > 0 and predicate[index - 1].dep_ in ("nsubj", "nsubjpass")


def _first_person_subject(verb: "Token") -> bool:
    """"We claim", and also "my surgeon says": a testimonial's own voice, not
    a claim the text attributes to others in order to dispute it."""
    return any(
        subject.dep_ in ("nsubj", "nsubjpass") and _speaks_as(subject, FIRST_PERSON) for subject in verb.children
    )


# A question that opens with one of these asks about a claim it takes for
# granted ("What pain can it relieve?" presupposes that it relieves pain);
# a yes/no question ("Can it relieve pain?") asks whether the claim holds.
PRESUPPOSING_WH = frozenset({"what", "which", "how", "why", "who", "whom", "whose"})


def _presupposes(sentence: "Span") -> bool:
    """Does this question take its claim for granted? It opens with a wh-word
    that asks about the claim's object or degree ("What pain can it
    relieve?", "How safe is it?"), not about who or what makes it ("What
    evidence shows it works?", "Who can benefit?" ask whether it holds)."""
    words = [token for token in sentence if not token.is_punct and not token.is_space]
    while words and words[0].lower_ in ("but", "and", "so", "then"):
        words = words[1:]
    if not words or words[0].lower_ not in PRESUPPOSING_WH or any(t.lower_ == "whether" for t in words):
        return False
    wh = words[0]
    phrase = wh.head if wh.dep_ == "det" else wh
    return phrase.dep_ not in ("nsubj", "nsubjpass")


def _third_party_or_passive(word: "Token", tags_of: "Callable[[Token], tuple[str, ...]]") -> bool:
    """Does this describing word report a practice rather than promise one?
    "Ketamine is used to...", "a drug approved for...", "doctors prescribe
    it to...", "its effectiveness in treating..." describe; "we use it
    to...", "you can use it to..." and the imperative "use it to..." promise."""
    subjects = [child for child in word.children if child.dep_ in ("nsubj", "nsubjpass")]
    if any(_writer_or_reader(subject) for subject in subjects):
        return False
    agents = [subject for subject in subjects if subject.dep_ == "nsubj"]  # not "it is used": the thing used
    if word.pos_ == "VERB" and any(_stands_for_product(subject, tags_of) for subject in agents):
        return False  # "a treatment that uses your own platelets to heal": the product acts
    if word.pos_ in ("NOUN", "PROPN") or word.tag_ == "VBN" or word.dep_ == "acl":
        return True
    if word.tag_ == "VBG" and not subjects:
        return True  # a gerund names a practice: "warned against using it to treat..."
    return bool(subjects)  # a third-person subject; none: an imperative


def _stands_for_product(subject: "Token", tags_of: "Callable[[Token], tuple[str, ...]]") -> bool:
    if subject.lower_ in PRODUCT_PRONOUNS:
        return True
    # "both of these treatments": the head may be a quantifier
    return any(t.lemma_.lower() in PRODUCT_NOUNS or not PRODUCT_LEXICONS.isdisjoint(tags_of(t)) for t in subject.subtree)


def _writer_or_reader(subject: "Token") -> bool:
    return _speaks_as(subject, FIRST_PERSON | SECOND_PERSON)


def _speaks_as(subject: "Token", persons: frozenset[str]) -> bool:
    """Is this subject one of `persons`, or owned by the first person ("my surgeon")?"""
    return subject.lower_ in persons or any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in subject.children)
