"""What an answer means: the answer values per question kind, and what counts as a "yes".

DOMAIN.md, "How each KPI is counted": a yes is an answer of yes, agree or strongly agree to
the named question. A 0–10 scale never counts as a yes (satisfaction is not an outcome), nor
does free text.
"""

SCALE_0_10 = "scale_0_10"
AGREE_5 = "agree_5"
YES_NO = "yes_no"
TEXT = "text"
KINDS = (SCALE_0_10, AGREE_5, YES_NO, TEXT)

STRONGLY_DISAGREE = "strongly_disagree"
DISAGREE = "disagree"
NEUTRAL = "neutral"
AGREE = "agree"
STRONGLY_AGREE = "strongly_agree"
AGREEMENT_VALUES = (STRONGLY_DISAGREE, DISAGREE, NEUTRAL, AGREE, STRONGLY_AGREE)

YES = "yes"
NO = "no"

#: The answer values that count as a yes, per question kind (kinds not listed never do).
YES_VALUES: dict[str, frozenset[str]] = {
    YES_NO: frozenset({YES}),
    AGREE_5: frozenset({AGREE, STRONGLY_AGREE}),
}

SCALE_MIN, SCALE_MAX = 0, 10


def is_yes(kind: str, value) -> bool:
    """Whether an answer of a question of `kind` counts as a yes for the KPIs."""
    return isinstance(value, str) and value in YES_VALUES.get(kind, frozenset())


def is_valid(kind: str, value) -> bool:
    """Whether `value` is a possible answer to a question of `kind` (None: not answered)."""
    if value is None:
        return True
    if kind == SCALE_0_10:
        return isinstance(value, int) and not isinstance(value, bool) and (
            SCALE_MIN <= value <= SCALE_MAX
        )
    if kind == AGREE_5:
        return value in AGREEMENT_VALUES
    if kind == YES_NO:
        return value in (YES, NO)
    if kind == TEXT:
        return isinstance(value, str)
    return False
