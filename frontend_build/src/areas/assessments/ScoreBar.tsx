// The form's sticky head: unit and state, the live self total (and reviewed one), and the
// actions (how it is scored, save, submit) always in reach however long the form is.
import { Button, Popconfirm, Space, Statistic, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDate, formatPoints } from "../../format";
import type { AssessmentCardFragment, AssessmentState } from "../../gql/graphql";
import { AssessmentStateTag } from "../../components/AssessmentStateTag";

type Props = {
  title: string;
  state: AssessmentState;
  late: boolean;
  /** The assessment group (分类考核) it is ranked in, if the cycle has groups. */
  group?: string | null;
  selfDue: string;
  card: AssessmentCardFragment | null;
  reviewedTotal: string | null;
  editable: boolean;
  dirty: boolean;
  saving: boolean;
  submitting: boolean;
  onExplain: () => void;
  onSave: () => void;
  onSubmit: () => void;
};

export function ScoreBar(props: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { card } = props;
  return (
    <div
      role="region"
      aria-label={t("assessments.total")}
      style={{
        position: "sticky",
        top: 0,
        zIndex: 10,
        background: "#fff",
        border: "1px solid #f0f0f0",
        borderRadius: 8,
        padding: "12px 16px",
        marginBottom: 16,
        display: "flex",
        flexWrap: "wrap",
        gap: 16,
        alignItems: "center",
        justifyContent: "space-between",
        boxShadow: "0 2px 8px rgba(0,0,0,0.06)",
      }}
    >
      <Space orientation="vertical" size={2} style={{ minWidth: 220 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        <Space size={4} wrap>
          <AssessmentStateTag state={props.state} />
          {props.late && <Tag color="red">{t("assessments.lateSubmitted")}</Tag>}
          {props.group && (
            <Tooltip title={t("assessments.groupHint")}>
              <Tag color="cyan" tabIndex={0}>
                {t("assessments.group", { name: props.group })}
              </Tag>
            </Tooltip>
          )}
          <Typography.Text type="secondary">
            {t("assessments.dueOn", { date: formatDate(props.selfDue, language) })}
          </Typography.Text>
          {props.dirty && <Tag color="gold">{t("assessments.unsaved")}</Tag>}
        </Space>
      </Space>
      <Space size={24} wrap>
        <Statistic
          title={t("assessments.total")}
          value={formatPoints(card?.total, language)}
          styles={{ content: { color: "#c8102e" } }}
        />
        {card && <Statistic title={t("assessments.grade")} value={card.gradeName || t(`assessments.grades.${card.grade}`)} />}
        {props.reviewedTotal !== null && (
          <Statistic title={t("assessments.reviewed")} value={formatPoints(props.reviewedTotal, language)} />
        )}
        {card?.vetoed && <Tag color="red">{t("assessments.vetoed")}</Tag>}
        {card && card.yellowCards.length > 0 && (
          <Tooltip title={card.yellowCards.map((c) => `${c.rule}: ${c.reason}`).join("; ")}>
            <Tag color="gold" tabIndex={0}>
              {t("assessments.yellowCard", { count: card.yellowCards.length })}
            </Tag>
          </Tooltip>
        )}
      </Space>
      <Space wrap>
        <Button onClick={props.onExplain} disabled={!card}>
          {t("assessments.explain")}
        </Button>
        {props.editable && (
          <>
            <Button type="primary" onClick={props.onSave} loading={props.saving} disabled={props.submitting}>
              {t("assessments.save")}
            </Button>
            <Popconfirm
              title={t("assessments.submitConfirm")}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              onConfirm={props.onSubmit}
            >
              <Button danger loading={props.submitting} disabled={props.saving}>
                {t("assessments.submit")}
              </Button>
            </Popconfirm>
          </>
        )}
      </Space>
    </div>
  );
}
