"""The one place that reaches into spaCy's or CPython's internals, each shim version-guarded."""
