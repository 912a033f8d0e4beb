"""overclaim: a claims-checking linter for health-marketing copy."""

from __future__ import annotations

__version__ = "0.1.0"
