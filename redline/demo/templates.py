"""The demo's provincial indicator template, modelled on the seed reports (Zhejiang's counties).

Six categories make 95 points (responsibility system; risk control and hidden-hazard
governance; supervision and law enforcement; special rectification tasks; accident control;
publicity and training), a local category leaves 5 points to the cities, a bonus category adds
up to +5. Every scoring method and every deduction-clause kind appears at least once; grades
90 / 80 / 60. Tests share it through ``tests/template_samples.py``.

Until 2025 every indicator was self-entered and the three veto rules were raised by hand. From
2026 the ledgers feed it: 1.2 takes the responsibility-statement coverage, 2.1 the hazard
rectification rate, 2.2 the count of overdue major hazards (its clause b goes: the figure
counts every clause but the cascade), 4.1 the task completion rate; V1-V3 fire from the
accident and hazard ledgers, and a manual V4 is left to the assessment group.
"""

from __future__ import annotations

from decimal import Decimal as D

from scoring.engine import ClauseKind, Method
from scoring.templates.document import (
    ClauseInput,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
)
from scoring.templates.models import ItemKind, ValueSource, VetoKind

C = ItemKind.CATEGORY
I = ItemKind.INDICATOR  # noqa: E741 - the indicator kind, as short as C beside it

LOCAL_CATEGORY = "7"
BONUS_CATEGORY = "8"
LEDGER_FED_SINCE = 2026

SELF = ValueSource.SELF.value


def provincial_template(year: int = 2026, *, ledger_fed: bool | None = None) -> TemplateContent:
    """Zhejiang's county work-safety assessment for ``year``: publishable as it is.

    ``ledger_fed`` (default: from 2026 on) takes indicators and vetoes from the ledgers.
    """
    fed = year >= LEDGER_FED_SINCE if ledger_fed is None else ledger_fed
    return TemplateContent(
        title=f"浙江省{year}年度县（市、区）安全生产工作考核细则",
        year=year,
        total_points=D(100),
        bonus_cap=D(5),
        grade_excellent=D(90),
        grade_good=D(80),
        grade_qualified=D(60),
        items=(
            ItemInput(
                "1",
                "安全生产责任体系",
                C,
                D(20),
                criteria="党政同责、一岗双责、齐抓共管、失职追责",
                children=(
                    ItemInput(
                        "1.1",
                        "安全生产责任制建立和落实",
                        I,
                        D(8),
                        criteria="建立党政领导干部安全生产责任制，制定部门安全生产权力和责任清单",
                        method=Method.DEDUCTION,
                        clauses=(
                            ClauseInput("a", ClauseKind.ZERO, "未建立安全生产责任制的，不得分"),
                            ClauseInput(
                                "b", ClauseKind.FIXED, "责任制未以正式文件印发的，扣1分", D(1)
                            ),
                            ClauseInput(
                                "c",
                                ClauseKind.PER_OCCURRENCE,
                                "每缺少一个部门的安全生产责任清单，扣1分，扣完为止",
                                D(1),
                            ),
                        ),
                    ),
                    ItemInput(
                        "1.2",
                        "安全生产责任书签订",
                        I,
                        D(6),
                        criteria="与下级政府、部门和重点企业签订责任书，签订率100%得满分，"
                        "按比例计分，低于80%不得分",
                        method=Method.RATIO,
                        target=D(100),
                        floor=D(80),
                        source=ValueSource.STATEMENT_COVERAGE.value if fed else SELF,
                    ),
                    ItemInput(
                        "1.3",
                        "安委会全体会议",
                        I,
                        D(6),
                        criteria="每季度至少召开一次安委会全体会议，研究部署安全生产工作",
                        method=Method.BOOLEAN,
                    ),
                ),
            ),
            ItemInput(
                "2",
                "风险管控与隐患排查治理",
                C,
                D(20),
                criteria="安全风险分级管控和隐患排查治理双重预防机制",
                children=(
                    ItemInput(
                        "2.1",
                        "隐患整改率",
                        I,
                        D(10),
                        criteria="一般隐患整改率≥100%得10分，≥95%得8分，≥90%得5分，"
                        "≥80%得2分，低于80%不得分",
                        method=Method.TIERS,
                        tiers=(
                            TierInput(D(100), D(10)),
                            TierInput(D(95), D(8)),
                            TierInput(D(90), D(5)),
                            TierInput(D(80), D(2)),
                        ),
                        source=ValueSource.HAZARD_RECTIFICATION_RATE.value if fed else SELF,
                    ),
                    ItemInput(
                        "2.2",
                        "重大隐患挂牌督办",
                        I,
                        D(10),
                        criteria="重大隐患实行挂牌督办，整改验收后方可摘牌",
                        method=Method.DEDUCTION,
                        clauses=_major_hazard_clauses(fed),
                        source=ValueSource.OVERDUE_MAJOR_HAZARDS.value if fed else SELF,
                    ),
                ),
            ),
            ItemInput(
                "3",
                "监管执法",
                C,
                D(15),
                children=(
                    ItemInput(
                        "3.1",
                        "执法检查",
                        C,
                        D(8),
                        children=(
                            ItemInput(
                                "3.1.1",
                                "年度执法计划完成率",
                                I,
                                D(8),
                                criteria="按年度监督检查计划完成执法检查，完成率100%得满分",
                                method=Method.RATIO,
                                target=D(100),
                            ),
                        ),
                    ),
                    ItemInput(
                        "3.2",
                        "“四不两直”暗查暗访",
                        C,
                        D(7),
                        children=(
                            ItemInput(
                                "3.2.1",
                                "暗查暗访开展情况",
                                I,
                                D(7),
                                criteria="不发通知、不打招呼、不听汇报、不用陪同接待，"
                                "直奔基层、直插现场；由考核组酌情评分",
                                method=Method.MANUAL,
                            ),
                        ),
                    ),
                ),
            ),
            ItemInput(
                "4",
                "专项整治任务",
                C,
                D(15),
                criteria="安全生产专项整治三年行动",
                children=(
                    ItemInput(
                        "4.1",
                        "重点任务清单完成率",
                        I,
                        D(10),
                        criteria="三年行动重点任务清单（291项任务要素）按期完成率",
                        method=Method.TIERS,
                        tiers=(
                            TierInput(D(100), D(10)),
                            TierInput(D(95), D(8)),
                            TierInput(D("90.5"), D("6.5")),
                            TierInput(D(80), D(3)),
                        ),
                        source=ValueSource.TASK_COMPLETION_RATE.value if fed else SELF,
                    ),
                    ItemInput(
                        "4.2",
                        "十大重点行业领域专项整治",
                        I,
                        D(5),
                        criteria="危险化学品、矿山、交通运输、建筑施工、消防、燃气等行业领域",
                        method=Method.DEDUCTION,
                        clauses=(
                            ClauseInput(
                                "a",
                                ClauseKind.PER_OCCURRENCE,
                                "每有一个重点行业领域未制定专项整治方案的，扣1分",
                                D(1),
                            ),
                        ),
                    ),
                ),
            ),
            ItemInput(
                "5",
                "事故控制",
                C,
                D(15),
                children=(
                    ItemInput(
                        "5.1",
                        "生产安全事故控制",
                        I,
                        D(15),
                        criteria="事故起数和死亡人数控制在下达的控制指标以内",
                        method=Method.DEDUCTION,
                        clauses=(
                            ClauseInput(
                                "a",
                                ClauseKind.PER_OCCURRENCE,
                                "每发生一起死亡1人的一般事故，扣3分",
                                D(3),
                                fact="accident",
                            ),
                            ClauseInput(
                                "b",
                                ClauseKind.PER_OCCURRENCE,
                                "每发生一起死亡2人的一般事故，扣5分",
                                D(5),
                                fact="accident",
                            ),
                            ClauseInput("c", ClauseKind.FIXED, "事故迟报的，扣2分", D(2)),
                        ),
                    ),
                ),
            ),
            ItemInput(
                "6",
                "宣传教育培训",
                C,
                D(10),
                children=(
                    ItemInput(
                        "6.1",
                        "“安全生产月”活动",
                        I,
                        D(4),
                        criteria="组织开展“安全生产月”和“安全生产万里行”活动",
                        method=Method.BOOLEAN,
                    ),
                    ItemInput(
                        "6.2",
                        "主要负责人和安全管理人员培训",
                        I,
                        D(6),
                        criteria="培训合格率100%得满分，按比例计分",
                        method=Method.RATIO,
                        target=D("100"),
                        floor=D("60.5"),
                        required=False,
                    ),
                ),
            ),
            ItemInput(
                LOCAL_CATEGORY,
                "地方特色指标",
                C,
                D(5),
                criteria="由设区市结合本地实际设置",
                local=True,
            ),
            ItemInput(
                BONUS_CATEGORY,
                "加分项",
                C,
                D(5),
                bonus=True,
                children=(
                    ItemInput(
                        "8.1",
                        "安全生产工作获国家级表彰",
                        I,
                        D(3),
                        method=Method.BONUS,
                    ),
                    ItemInput(
                        "8.2",
                        "创新做法被省级以上推广",
                        I,
                        D(2),
                        method=Method.BONUS,
                    ),
                ),
            ),
        ),
        veto_rules=_ledger_veto_rules() if fed else _manual_veto_rules(),
    )


def _major_hazard_clauses(fed: bool) -> tuple[ClauseInput, ...]:
    """2.2's clauses. Fed by the count of overdue major hazards, clause b goes: the figure
    would count it for every overdue hazard, listed or not."""
    per_hazard = ClauseInput(
        "a",
        ClauseKind.PER_OCCURRENCE,
        "每有一项重大隐患逾期未整改，扣2分",
        D(2),
        # Without clause b no other clause counts the same overdue hazard.
        fact=None if fed else "overdue",
    )
    unlisted = ClauseInput(
        "b",
        ClauseKind.FIXED,
        "重大隐患逾期未整改且未挂牌督办的，扣3分",
        D(3),
        fact="overdue",
    )
    cascade = ClauseInput(
        "c",
        ClauseKind.CASCADE,
        "本项累计扣分达4分的，再扣5分",
        D(5),
        threshold=D(4),
    )
    return (per_hazard, cascade) if fed else (per_hazard, unlisted, cascade)


def _manual_veto_rules() -> tuple[VetoRuleInput, ...]:
    """The veto rules before the ledgers: the assessor raises each by hand."""
    return (
        VetoRuleInput(
            "V1",
            "发生较大及以上生产安全责任事故",
            "考核年度内发生较大及以上生产安全责任事故的，实行一票否决",
        ),
        VetoRuleInput(
            "V2",
            "瞒报、谎报生产安全事故",
            "瞒报、谎报生产安全事故的，取消评优评先资格",
        ),
        VetoRuleInput(
            "V3",
            "重大隐患逾期未整改",
            "挂牌督办的重大隐患逾期未整改，造成严重后果的",
        ),
    )


def _ledger_veto_rules() -> tuple[VetoRuleInput, ...]:
    """V1-V3 fire from the accident and hazard ledgers; V4 stays with the assessment group."""
    return (
        VetoRuleInput(
            "V1",
            "发生较大及以上生产安全责任事故",
            "考核年度内发生较大及以上生产安全责任事故的，实行一票否决",
            VetoKind.LARGER_ACCIDENT,
        ),
        VetoRuleInput(
            "V2",
            "瞒报、谎报生产安全事故",
            "瞒报、谎报生产安全事故的，取消评优评先资格",
            VetoKind.CONCEALED_ACCIDENT,
        ),
        VetoRuleInput(
            "V3",
            "重大隐患逾期未整改",
            "挂牌督办的重大隐患逾期未整改的，实行一票否决",
            VetoKind.OVERDUE_MAJOR_HAZARD,
        ),
        VetoRuleInput(
            "V4",
            "其他严重失职失责行为",
            "存在其他严重失职失责行为，经考核组认定的",
        ),
    )
