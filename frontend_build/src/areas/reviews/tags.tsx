// Small labels the reviews screens share: an assessment's state, a grade, a signed gap.
import { Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { AssessmentStateTag } from "../../components/AssessmentStateTag";
import { formatPoints } from "../../format";
import type { AssessmentState, Grade } from "../../gql/graphql";

/** An assessment's state in the reviewers' words. */
export function StateTag({ state }: { state: AssessmentState }) {
  return <AssessmentStateTag state={state} wordsKey="reviews.states" />;
}

/** A grade, by the template's own name for it when it has one (一级). */
export function GradeTag({ grade, name }: { grade: Grade | null | undefined; name?: string | null }) {
  const { t } = useTranslation();
  if (!grade) return <>—</>;
  const color = grade === "UNQUALIFIED" ? "red" : grade === "EXCELLENT" ? "green" : "blue";
  return <Tag color={color}>{name || t(`reviews.grades.${grade}`)}</Tag>;
}

/** Reviewed minus self: red when the unit claimed more than the review gives. */
export function GapText({ gap }: { gap: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (gap == null || gap === "") return <>—</>;
  const n = Number(gap);
  const text = `${n > 0 ? "+" : ""}${formatPoints(gap, i18n.language)}`;
  if (n === 0) return <Typography.Text type="secondary">{text}</Typography.Text>;
  return <Typography.Text type={n < 0 ? "danger" : "success"}>{text}</Typography.Text>;
}
