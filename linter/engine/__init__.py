"""Matching: sentence units, prefilter, patterns, spaCy matchers, lexicon tags and context cues -> findings."""
