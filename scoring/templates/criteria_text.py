"""Reads scoring criteria text (评分标准) into deduction clauses, listing what it cannot read."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from scoring.engine import ClauseKind, ClauseScope
from scoring.templates.document import ClauseInput

# The fact the within-item rule "同一问题不重复扣分" puts on an item's deducting clauses.
SAME_FACT = "同一问题"

# Why a piece of criteria was left for a person; the bench counts unread pieces by these.
NO_DEDUCTION = "no deduction named"
MANY_DEDUCTIONS = "more than one deduction in one fragment: write one deduction per fragment"
SHARED_FACT = (
    "a fact shared with other items: name the shared fact on the clauses it joins "
    "(fact scope category or template)"
)
UNSAID_FACT = (
    "a no-double-count rule that does not say across what: name the shared fact on the "
    "clauses it joins"
)
EXTRA_WITHOUT_ZERO = (
    "an extra deduction (加扣) that does not zero the item: an extra clause always zeroes it"
)
CAP_BELOW_MAX = (
    "a cap below the item's points (最多扣N分) on no per-occurrence deduction cannot be "
    "expressed: only a per-occurrence clause (每…扣N分) has a cap of its own"
)
REPEAT_NOT_EACH = (
    "a repeat deducting more (重复发生的加倍扣分) on no per-occurrence deduction: only a "
    "per-occurrence clause (每…扣N分) counts repeats"
)
UNREAD_POINTS = "a deduction whose points are not a number the parser knows"
NO_POINTS = "a deduction without points (扣分 with no number and no 酌情)"
ZERO_POINTS = "a deduction of 0 points"
TOO_FINE = "points with more than two decimal places"
BAD_RANGE = "a points range whose upper end is not above its lower end"
RANGE_PER_OCCURRENCE = "a judgement per occurrence (每…扣N～M分, 每…酌情扣) cannot be expressed"
COUNT_WITHOUT_EACH = (
    "a count (缺一项, 发现一处) without 每: it does not say whether to deduct per occurrence "
    "or once"
)
CUMULATIVE = (
    "a cumulative threshold (累计…) not in the form 累计扣分达到N分，再扣M分 or "
    "累计扣分达到N分，该项不得分"
)


class UnreadReason(enum.StrEnum):
    """Why a piece was left for a person, as a code a screen words in its own language."""

    NO_DEDUCTION = "no_deduction"
    MANY_DEDUCTIONS = "many_deductions"
    SHARED_FACT = "shared_fact"
    UNSAID_FACT = "unsaid_fact"
    EXTRA_WITHOUT_ZERO = "extra_without_zero"
    CAP_BELOW_MAX = "cap_below_max"
    REPEAT_NOT_EACH = "repeat_not_each"
    UNREAD_POINTS = "unread_points"
    NO_POINTS = "no_points"
    ZERO_POINTS = "zero_points"
    TOO_FINE = "too_fine"
    BAD_RANGE = "bad_range"
    RANGE_PER_OCCURRENCE = "range_per_occurrence"
    COUNT_WITHOUT_EACH = "count_without_each"
    CUMULATIVE = "cumulative"


# Each reason's code: the constant of the same name.
REASON_CODES: dict[str, UnreadReason] = {globals()[reason.name]: reason for reason in UnreadReason}

_CENT = Decimal("0.01")

# Fullwidth digits and points, read as ASCII (the same length, so positions still match).
_PLAIN = str.maketrans("０１２３４５６７８９．～－", "0123456789.~-")

# Fragments end at these; numbered list markers ("1." "1、" "(1)" "（1）" "①") start one.
# "1." and "1、" count only at the start or after a space or punctuation, so "扣2.5分" and
# "GB 6441.1" stay whole; "，" alone does not end a fragment ("condition，consequence").
_FRAGMENT_BREAK = re.compile(
    r"[；;。\n\r]"
    r"|(?:^|(?<=[\s：:；;。，,]))\d{1,2}[.．、](?!\d)"
    r"|[(（]\d{1,2}[)）]"
    r"|[\u2460-\u2473]"
)
_TRIM = " \t\u3000，,、：:.．;；!！?？"

_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|半)"
_RANGE_MARK = r"[~～\-—–至到]"

_EXHAUSTED = re.compile(
    r"^(?:扣完(?:该项|本项|本小项|此项)?(?:标准分|分值|分数|分)?为止|扣至(?:0|零)分为止)$"
)
_SAME_FACT = re.compile(r"^同一(?:问题|事实|情况|隐患)(?:不(?:再)?重复扣分|只扣一次)$")
_NO_DOUBLE = re.compile(r"不(?:再)?重复扣分")
_CAP = re.compile(rf"^(?:最多|最高|至多)扣(?:除)?{_NUMBER}分$")
# 重复发生的加倍扣分, 再次出现的扣分加倍: each repeat deducts double.
_REPEATED = r"(?:同一(?:问题|类问题|事项|情况))?(?:重复|再次|多次)(?:出现|发生|发现|存在)?(?:的)?"
_DOUBLED = r"(?:加倍扣分|扣分加倍|加倍扣除)"
_REPEAT = re.compile(rf"^{_REPEATED}{_DOUBLED}$")
# The same note across a comma: "重复发生的，加倍扣分" (the fragment is split at commas).
_REPEAT_HEAD, _REPEAT_TAIL = re.compile(rf"^{_REPEATED}$"), re.compile(rf"^{_DOUBLED}$")

_EXTRA = re.compile(rf"不得分外?[，,]?\s*(?:并|另|还|再)?(?:另)?加扣{_NUMBER}分")
_CASCADE = re.compile(
    rf"(?:累计扣分|累计扣除|扣分累计|累计)(达到|达|满|超过|大于){_NUMBER}分"
    rf"(?:及以上|以上)?(?:的)?[，,]?\s*"
    rf"(?:(?:再|另|另外|又|加)扣(?:除)?{_NUMBER}分|(?:该项|本项|本小项|此项)?不得分)$"
)
# "不得分包" (must not subcontract) is a condition, not a zero.
_ZERO = re.compile(r"不得分(?!包)|得(?:0|零)分|为(?:0|零)分|[记计](?:0|零)分")
_DEDUCTION = re.compile(
    rf"扣(?:除|减)?\s*{_NUMBER}\s*(?:{_RANGE_MARK}\s*{_NUMBER}\s*)?分(/(?:处|项|人|次|个|台|份))?"
    r"|扣(?:除)?分"
)
_ANY_DEDUCTION = re.compile(r"扣(?!件)")
_JUDGED = re.compile(r"酌情|视情况|视情节|视情|根据情况|根据情节")
# 每 is "per" unless a period follows it ("每年组织一次演练" is a frequency, not a count).
_EACH = re.compile(r"每(?!年|月|季|周|日|天|班|半年|星期|旬)")
_COUNT_WITHOUT_EACH = re.compile(
    r"(?:缺|(?<!至)少|漏|发现|出现)(?:一|1)(?:项|处|个|人|次|台|份|条|起|种|名)"
)

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100}


@dataclass(frozen=True)
class Unread:
    """A piece of criteria text the parser could not structure, and why, for a person to do."""

    text: str
    reason: str

    @property
    def code(self) -> UnreadReason:
        return REASON_CODES[self.reason]


@dataclass(frozen=True)
class ReadCriteria:
    """An item's criteria as clauses (keys "a", "b", … in text order) and what is left unread."""

    clauses: tuple[ClauseInput, ...]
    unread: tuple[Unread, ...]
    until_exhausted: bool  # the text said 扣完为止: the engine's floor, informational


@dataclass(frozen=True)
class _Fragment:
    """What one fragment says: at most one clause (keyed later), reasons left for a person."""

    clause: ClauseInput | None = None
    unread: tuple[str, ...] = ()
    until_exhausted: bool = False
    same_fact: bool = False


@dataclass
class _Notes:
    """What the notes at a fragment's tail said."""

    until_exhausted: bool = False
    same_fact: bool = False
    cap: Decimal | None = None  # 最多扣N分 below the item's points
    repeat_factor: Decimal | None = None  # 重复发生的加倍扣分
    unread: list[str] = field(default_factory=list)


class _Unreadable(ValueError):
    """Words the parser will not read, with the reason for the person who will."""


def fragments(text: str) -> list[str]:
    """The criteria cut into fragments ("condition，consequence"), trimmed, empty ones dropped."""
    pieces = (piece.strip(_TRIM) for piece in _FRAGMENT_BREAK.split(text))
    return [piece for piece in pieces if piece]


def read_criteria(text: str, max_points: Decimal) -> ReadCriteria:
    """Read an item's criteria into deduction clauses; what matches no rule is left unread."""
    clauses: list[ClauseInput] = []
    unread: list[Unread] = []
    until_exhausted = same_fact = False
    for fragment in fragments(text):
        reading = _read_fragment(fragment, max_points)
        if reading.clause is not None:
            clauses.append(replace(reading.clause, key=_key(len(clauses))))
        unread.extend(Unread(fragment, reason) for reason in reading.unread)
        until_exhausted |= reading.until_exhausted
        same_fact |= reading.same_fact
    if same_fact:
        clauses = _one_fact(clauses)
    return ReadCriteria(tuple(clauses), tuple(unread), until_exhausted)


def _key(index: int) -> str:
    """The key of the clause at `index`: a … z, then aa, ab …, short for typing counts."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    key = letters[index % 26]
    while index >= 26:
        index = index // 26 - 1
        key = letters[index % 26] + key
    return key


def _one_fact(clauses: list[ClauseInput]) -> list[ClauseInput]:
    """同一问题不重复扣分: the item's deducting clauses are one fact when there are two or more.

    Cascades and extras stay out: a cascade adds to what the others took, an extra reaches
    beyond the item.
    """
    outside = (ClauseKind.CASCADE, ClauseKind.EXTRA)
    deducting = [clause for clause in clauses if clause.kind not in outside]
    if len(deducting) < 2:
        return clauses
    return [
        clause if clause.kind in outside else replace(clause, fact=SAME_FACT) for clause in clauses
    ]


def _read_fragment(fragment: str, max_points: Decimal) -> _Fragment:
    """One fragment: notes peeled off its tail, then the one rule its remaining words match."""
    notes = _Notes()
    try:
        rule = _peel_notes(fragment.translate(_PLAIN), max_points, notes)
    except _Unreadable as problem:
        return _Fragment(unread=(str(problem),))
    clause, reason = _read_rule(fragment, rule, max_points) if rule else (None, None)
    clause, limits = _limited(clause, notes)
    unread = (*((reason,) if reason else ()), *limits, *notes.unread)
    return _Fragment(clause, unread, notes.until_exhausted, notes.same_fact)


def _limited(clause: ClauseInput | None, notes: _Notes) -> tuple[ClauseInput | None, list[str]]:
    """The clause with the cap and the repeat factor its notes gave it; a per-occurrence clause
    takes them, any other leaves the fragment for a person."""
    if notes.cap is None and notes.repeat_factor is None:
        return clause, []
    if clause is not None and clause.kind is ClauseKind.PER_OCCURRENCE:
        return replace(clause, cap=notes.cap, repeat_factor=notes.repeat_factor), []
    reasons = [CAP_BELOW_MAX] if notes.cap is not None else []
    return None, reasons + ([REPEAT_NOT_EACH] if notes.repeat_factor is not None else [])


def _peel_notes(fragment: str, max_points: Decimal, notes: _Notes) -> str:
    """The fragment without the notes at its tail (扣完为止, 同一问题不重复扣分, 最多扣5分,
    重复发生的加倍扣分…), which go into `notes`."""
    parts = re.split(r"[，,]", fragment)
    while parts:
        part = parts[-1].strip(_TRIM)
        if not part:
            pass
        elif _EXHAUSTED.match(part):
            notes.until_exhausted = True
        elif _SAME_FACT.match(part):
            notes.same_fact = True
        elif _NO_DOUBLE.search(part):
            notes.unread.append(
                UNSAID_FACT if part in ("不重复扣分", "不再重复扣分") else SHARED_FACT
            )
        elif cap := _CAP.match(part):
            if (points := _points(cap.group(1))) < max_points:
                notes.cap = points
            # A cap at or above the item's points is the engine's own floor.
        elif _REPEAT.match(part):
            notes.repeat_factor = Decimal(2)
        elif _REPEAT_TAIL.match(part) and len(parts) > 1 and _REPEAT_HEAD.match(parts[-2]):
            notes.repeat_factor = Decimal(2)
            parts.pop()
        else:
            break
        parts.pop()
    return "，".join(parts).strip(_TRIM)


def _read_rule(
    fragment: str, rule: str, max_points: Decimal
) -> tuple[ClauseInput | None, str | None]:
    """The clause a rule's words say, or why there is none."""
    try:
        if cascade := _CASCADE.search(rule):
            if _deducts_besides(rule, cascade):
                return None, MANY_DEDUCTIONS
            return _cascade(fragment, cascade, max_points), None
        if "累计" in rule and _ANY_DEDUCTION.search(rule):
            return None, CUMULATIVE
        if extra := _EXTRA.search(rule):
            if _deducts_besides(rule, extra):
                return None, MANY_DEDUCTIONS
            points = _points(extra.group(1))
            return ClauseInput(
                "", ClauseKind.EXTRA, fragment, points, scope=ClauseScope.TEMPLATE
            ), None
        if "加扣" in rule:
            return None, EXTRA_WITHOUT_ZERO
        return _read_deduction(fragment, rule, max_points)
    except _Unreadable as problem:
        return None, str(problem)


def _deducts_besides(rule: str, found: re.Match[str]) -> bool:
    """Whether the rule deducts outside the words matched ("每处扣1分，累计扣分达到6分…")."""
    rest = rule[: found.start()] + "，" + rule[found.end() :]
    return bool(_ZERO.search(rest) or _DEDUCTION.search(rest))


def _cascade(fragment: str, found: re.Match[str], max_points: Decimal) -> ClauseInput:
    """累计扣分达到4分，再扣2分: once the item has lost the threshold, the points more."""
    comparison, threshold, more = found.groups()
    at = _points(threshold)
    if comparison in ("超过", "大于"):
        at += _CENT  # points are cents: "more than 4" is "at least 4.01"
    points = _points(more) if more is not None else max_points
    return ClauseInput("", ClauseKind.CASCADE, fragment, points, threshold=at)


def _read_deduction(
    fragment: str, rule: str, max_points: Decimal
) -> tuple[ClauseInput | None, str | None]:
    """A zero, a fixed or per-occurrence deduction, or a person's judgement."""
    zeros = list(_ZERO.finditer(rule))
    deductions = list(_DEDUCTION.finditer(rule))
    if len(zeros) + len(deductions) > 1:
        return None, MANY_DEDUCTIONS
    if zeros:
        return ClauseInput("", ClauseKind.ZERO, fragment), None
    if not deductions:
        return None, UNREAD_POINTS if _ANY_DEDUCTION.search(rule) else NO_DEDUCTION
    found = deductions[0]
    amount, upper, per_unit = found.group(1), found.group(2), found.group(3)
    before = rule[: found.start()]
    each = bool(_EACH.search(before)) or per_unit is not None
    judged = bool(_JUDGED.search(before))
    if (judged or upper is not None) and each:
        return None, RANGE_PER_OCCURRENCE
    if judged or upper is not None:
        return _judgement(fragment, amount, upper, max_points)
    if amount is None:
        return None, NO_POINTS
    points = _positive(amount)
    if each:
        return ClauseInput("", ClauseKind.PER_OCCURRENCE, fragment, points), None
    if _COUNT_WITHOUT_EACH.search(before):
        return None, COUNT_WITHOUT_EACH
    return ClauseInput("", ClauseKind.FIXED, fragment, points), None


def _judgement(
    fragment: str, amount: str | None, upper: str | None, max_points: Decimal
) -> tuple[ClauseInput | None, str | None]:
    """酌情扣1～3分: a person deducts up to the upper end (the item's points if none is said)."""
    if amount is None:
        return ClauseInput("", ClauseKind.JUDGEMENT, fragment, max_points), None
    if upper is None:
        return ClauseInput("", ClauseKind.JUDGEMENT, fragment, _positive(amount)), None
    low, high = _points(amount), _positive(upper)  # "扣0～2分" may deduct nothing
    if high <= low:
        return None, BAD_RANGE
    return ClauseInput("", ClauseKind.JUDGEMENT, fragment, high), None


def _positive(word: str) -> Decimal:
    points = _points(word)
    if points == 0:
        raise _Unreadable(ZERO_POINTS)
    return points


def _points(word: str) -> Decimal:
    """Points in cents from "2", "0.5", "两", "十五", "一百", "半"."""
    number = Decimal(word) if word[0].isdigit() else _chinese_number(word)
    if number.as_tuple().exponent < -2:  # finite: only digits were read
        if number != number.quantize(_CENT):
            raise _Unreadable(TOO_FINE)
        number = number.quantize(_CENT)
    return number


def _chinese_number(word: str) -> Decimal:
    """A Chinese numeral up to the hundreds ("二十五", "一百零五"), or 半 for a half."""
    if word == "半":
        return Decimal("0.5")
    total = 0
    digit: int | None = None
    for char in word:
        if char in _DIGITS:
            if digit not in (None, 0):
                raise _Unreadable(UNREAD_POINTS)  # "一二": two digits without a unit between
            digit = _DIGITS[char]
        else:
            total += (digit if digit is not None else 1) * _UNITS[char]
            digit = None
    return Decimal(total + (digit or 0))
