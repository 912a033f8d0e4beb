"""After matching: directives, suppressions, meta rules, baselines, fingerprints, thresholds."""
