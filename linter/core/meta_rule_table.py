"""The meta rules' ids and descriptions: findings about suppression
directives, not about copy (see `review.meta_rules` for how they are raised).

Kept here, below every stage, because the rule loader (their ids are
reserved), the config (which can set their severity or turn them off) and
the review stage all name them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from linter.core.model import Severity
from linter.core.rule_info import RuleInfo

META_CATEGORY = "suppression"
META_SOURCE = "overclaim suppression policy (README: Suppressions)"

WITHOUT_REASON = "suppression-without-reason"
UNUSED = "unused-suppression"
UNKNOWN_RULE = "unknown-rule-in-suppression"
INVALID = "invalid-suppression"


def _meta(rule_id: str, summary: str, help: str) -> RuleInfo:
    return RuleInfo(rule_id, META_CATEGORY, Severity.WARNING, summary, help, META_SOURCE, "meta")


META_RULES: Mapping[str, RuleInfo] = MappingProxyType(
    {
        WITHOUT_REASON: _meta(
            WITHOUT_REASON,
            "A suppression directive that does not say why the claim was accepted.",
            "Add the reason after ' -- ', e.g. <!-- overclaim-disable-next-line cure-claim -- approved by MLR, ticket CL-12 -->.",
        ),
        UNUSED: _meta(
            UNUSED,
            "A suppression directive that suppresses nothing.",
            "Remove the directive (or the rule ids in it that report nothing where it applies).",
        ),
        UNKNOWN_RULE: _meta(
            UNKNOWN_RULE,
            "A suppression directive that names a rule no rule pack defines.",
            "Use an id from `overclaim rules list` (or 'all').",
        ),
        INVALID: _meta(
            INVALID,
            "An overclaim directive that cannot be understood, so it suppresses nothing.",
            "Write it as 'overclaim-KIND RULE[,RULE...] -- reason' with KIND one of disable-next-line, "
            "disable-line, disable, enable, disable-file.",
        ),
    }
)
