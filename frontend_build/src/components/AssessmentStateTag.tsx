// An assessment's workflow state as a coloured tag (words from assessments.states unless an area has its own).
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { AssessmentState } from "../gql/graphql";

const COLORS: Record<AssessmentState, string> = {
  DRAFT: "default",
  SUBMITTED: "blue",
  RETURNED: "orange",
  RESUBMITTED: "geekblue",
  REVIEWED: "cyan",
  FINAL: "green",
};

export function AssessmentStateTag({ state, wordsKey = "assessments.states" }: { state: AssessmentState; wordsKey?: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[state]}>{t(`${wordsKey}.${state}`)}</Tag>;
}
