// A template's consequence policy (奖惩规则) in words: the triggers in their usual order, the
// colours of the consequences, and the one-line sentence the register and the template show.
import type { Consequence, ConsequencePolicyFieldsFragment, ConsequenceTrigger } from "../gql/graphql";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The triggers in the order the API and the measures list them. */
export const CONSEQUENCE_TRIGGERS: ConsequenceTrigger[] = ["VETO", "YELLOW_CARD", "UNQUALIFIED", "OVERDUE_MAJOR_HAZARDS"];

/** The consequences in the register's order. */
export const CONSEQUENCES: Consequence[] = ["COMMENDATION", "CRITICISM", "INTERVIEW", "INELIGIBILITY"];

/** Each consequence's tag colour: green praise, then rising severity. */
export const CONSEQUENCE_COLORS: Record<Consequence, string> = {
  COMMENDATION: "green",
  CRITICISM: "orange",
  INTERVIEW: "volcano",
  INELIGIBILITY: "red",
};

/** Triggers named in the usual order, joined in the reader's language ("无" for none). */
export function triggerList(triggers: readonly ConsequenceTrigger[], t: Translate): string {
  const named = CONSEQUENCE_TRIGGERS.filter((trigger) => triggers.includes(trigger));
  if (named.length === 0) return t("consequences.policy.none");
  return named.map((trigger) => t(`consequences.triggers.${trigger}`)).join(t("consequences.policy.listSeparator"));
}

/** The policy in one line: the commendation quota (or every excellent unit), what brings a
 * criticism and an interview, how long a veto bars a unit's leaders, and for how many years a
 * concealed accident found later may still veto a final result (said only when it may). */
export function policySentence(policy: ConsequencePolicyFieldsFragment, t: Translate): string {
  const parts = [
    policy.commendationQuota === null || policy.commendationQuota === undefined
      ? t("consequences.policy.allExcellent")
      : t("consequences.policy.quota", { count: policy.commendationQuota }),
    t("consequences.policy.criticiseOn", { triggers: triggerList(policy.criticiseOn, t) }),
    t("consequences.policy.interviewOn", { triggers: triggerList(policy.interviewOn, t) }),
    policy.ineligibleMonths > 0
      ? t("consequences.policy.ineligible", { months: policy.ineligibleMonths })
      : t("consequences.policy.notBarred"),
  ];
  if (policy.retroactiveYears > 0) parts.push(t("consequences.policy.retroactive", { years: policy.retroactiveYears }));
  return parts.join(t("consequences.policy.separator"));
}
