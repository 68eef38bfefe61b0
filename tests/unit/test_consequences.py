"""The consequence policy, pure: what a result does to a unit by the template's policy, how long a
vetoed unit's leaders are barred, the policy kept as a document; and, over generated rankings,
that the commendation quota goes to the best eligible units and nobody vetoed or yellow-carded
is ever commended; that republishing an unchanged ranking changes nothing, and that every unit
whose standing differs between two versions is listed once, with the veto that moved it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import Grade
from scoring.engine.consequences import (
    Consequence,
    ConsequencePolicy,
    Trigger,
    decide,
    ineligible_until,
)
from scoring.rankings.changes import diff_rows
from scoring.rankings.consequences import decide_all
from scoring.rankings.lists import commendable
from scoring.rankings.models import RankingRow
from tenants.models import TenantNode

DEFAULT = ConsequencePolicy()
DAY = date(2027, 3, 31)
QUALIFIED = Decimal(60)


def test_the_defaults_are_hunan_s_measures():
    assert DEFAULT.commendation_quota is None and DEFAULT.ineligible_months == 12
    assert DEFAULT.criticise_on == {Trigger.VETO, Trigger.UNQUALIFIED}
    assert DEFAULT.interview_on == {Trigger.VETO, Trigger.YELLOW_CARD}
    assert ConsequencePolicy.from_document(None) == DEFAULT
    assert ConsequencePolicy.from_document({}) == DEFAULT


def test_a_veto_brings_criticism_interview_and_a_year_s_bar():
    decisions = decide({Trigger.VETO}, DEFAULT, DAY)
    assert [d.consequence for d in decisions] == [
        Consequence.CRITICISM,
        Consequence.INTERVIEW,
        Consequence.INELIGIBILITY,
    ]
    assert decisions[-1].until == date(2028, 3, 30)
    assert all(d.triggers == (Trigger.VETO,) for d in decisions)


def test_only_the_triggers_the_policy_names_count():
    policy = ConsequencePolicy(
        criticise_on=frozenset({Trigger.OVERDUE_MAJOR_HAZARDS}),
        interview_on=frozenset(),
        ineligible_months=0,
    )
    assert decide({Trigger.VETO, Trigger.YELLOW_CARD}, policy, DAY) == []
    [decision] = decide({Trigger.OVERDUE_MAJOR_HAZARDS, Trigger.UNQUALIFIED}, policy, DAY)
    assert decision.consequence is Consequence.CRITICISM
    assert decision.triggers == (Trigger.OVERDUE_MAJOR_HAZARDS,)


def test_an_undecided_bar_has_no_end_yet():
    [*_, bar] = decide({Trigger.VETO}, DEFAULT, None)
    assert bar.consequence is Consequence.INELIGIBILITY and bar.until is None


def test_a_bar_ends_the_day_before_the_same_day_months_later():
    assert ineligible_until(date(2026, 3, 31), 12) == date(2027, 3, 30)
    assert ineligible_until(date(2027, 1, 31), 1) == date(2027, 2, 27)
    assert ineligible_until(date(2027, 11, 15), 3) == date(2028, 2, 14)
    assert ineligible_until(date(2028, 2, 29), 12) == date(2029, 2, 27)


def test_a_policy_s_problems_name_their_fields():
    bad = ConsequencePolicy(commendation_quota=0, ineligible_months=121)
    assert [field for field, _ in bad.problems()] == ["commendationQuota", "ineligibleMonths"]
    assert "got 0" in bad.problems()[0][1]
    assert DEFAULT.problems() == []


@given(
    quota=st.one_of(st.none(), st.integers(1, 1000)),
    criticise=st.frozensets(st.sampled_from(Trigger)),
    interview=st.frozensets(st.sampled_from(Trigger)),
    months=st.integers(0, 120),
)
def test_a_policy_survives_its_document(quota, criticise, interview, months):
    policy = ConsequencePolicy(quota, criticise, interview, months)
    assert ConsequencePolicy.from_document(policy.document()) == policy


# --- a whole ranking --------------------------------------------------------------------------

OWNER = TenantNode(id=1, code="330400", name_zh="嘉兴市", name_en="Jiaxing", path="/1/")

rows = st.lists(
    st.tuples(
        st.decimals(40, 100, places=2),
        st.booleans(),  # vetoed
        st.booleans(),  # yellow-carded
        st.integers(0, 2),  # overdue major hazards
    ),
    max_size=12,
)


def _ranking(generated) -> list[RankingRow]:
    ordered = sorted(generated, key=lambda g: -g[0])
    made = []
    for position, (score, vetoed, yellow, overdue) in enumerate(ordered, start=1):
        grade = (
            Grade.UNQUALIFIED
            if vetoed or score < QUALIFIED
            else Grade.EXCELLENT
            if score >= 90
            else Grade.QUALIFIED
        )
        made.append(
            RankingRow(
                node_id=position,
                unit_code=f"u{position}",
                position=position,
                rank=position,
                of=len(ordered),
                score=score,
                grade=grade.value,
                vetoed=vetoed,
                veto_reasons=[{"rule": "V1", "title": "较大事故"}] if vetoed else [],
                yellow_cards=[{"rule": "Y1", "title": "通报批评"}] if yellow else [],
                overdue_major_hazards=overdue,
            )
        )
    return made


@given(generated=rows, quota=st.one_of(st.none(), st.integers(1, 5)))
def test_the_quota_goes_to_the_best_eligible_units_and_never_to_a_vetoed_or_carded_one(
    generated, quota
):
    ranking = _ranking(generated)
    policy = ConsequencePolicy(commendation_quota=quota)
    registered = decide_all(ranking, OWNER, QUALIFIED, policy, DAY)
    commended = [
        unit.row
        for unit in registered
        if any(d.consequence is Consequence.COMMENDATION for d in unit.consequences)
    ]
    eligible = [row for row in ranking if commendable(row)]
    assert commended == eligible[: quota if quota is not None else len(eligible)]
    assert not any(row.vetoed or row.yellow_cards for row in commended)
    for unit in registered:
        kinds = [d.consequence for d in unit.consequences]
        assert kinds == sorted(kinds, key=list(Consequence).index)  # in the register's order
        assert (Consequence.INELIGIBILITY in kinds) is unit.row.vetoed
        for decided in unit.consequences:
            assert decided.grounds  # every consequence says why


# --- what changed between two versions --------------------------------------------------------


@given(generated=rows)
def test_republishing_an_unchanged_ranking_changes_nothing(generated):
    ranking = _ranking(generated)
    again = _ranking(generated)
    commended = frozenset(row.node_id for row in ranking if commendable(row))
    assert diff_rows(ranking, again, commended, commended) == []


@given(before=rows, after=rows)
def test_a_change_is_listed_once_for_every_unit_whose_standing_differs(before, after):
    earlier, later = _ranking(before), _ranking(after)
    changes = diff_rows(earlier, later)
    listed = [change.node_id for change in changes]
    assert len(listed) == len(set(listed))
    old = {row.node_id: row for row in earlier}
    new = {row.node_id: row for row in later}
    for node_id in old.keys() | new.keys():
        a, b = old.get(node_id), new.get(node_id)
        same = (
            a is not None
            and b is not None
            and (a.rank, a.of, a.score, a.grade, a.vetoed)
            == (b.rank, b.of, b.score, b.grade, b.vetoed)
            and a.veto_reasons == b.veto_reasons
            and a.yellow_cards == b.yellow_cards
        )
        assert (node_id in listed) is not same
    for change in changes:
        if change.before is not None and change.after is not None:
            assert change.rank_change == change.before.rank - change.after.rank
            assert change.score_change == change.after.score - change.before.score
            if change.after.vetoed and not change.before.vetoed:
                assert change.vetoes_added  # why it moved: the veto that came
