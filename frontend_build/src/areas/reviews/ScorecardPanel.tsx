// The reviewed scorecard: total, normalisation, bonus, grade, each category self vs reviewed,
// and every explanation line (they add up to the total).
import { Card, Descriptions, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import { type AssessmentNode, gapOf } from "./logic";
import { GapText, GradeTag } from "./tags";

export function ScorecardPanel({ assessment }: { assessment: AssessmentNode }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const card = assessment.scorecard;
  if (!card) return <Typography.Text type="secondary">{t("common.empty")}</Typography.Text>;
  const selfBy = new Map((assessment.selfCard?.categories ?? []).map((c) => [c.code, c.points]));
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t("reviews.scorecard.total")}>
          <strong>{formatPoints(card.total, language)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t("reviews.page.grade")}>
          <GradeTag grade={card.grade} name={card.gradeName} />
        </Descriptions.Item>
        <Descriptions.Item label={t("reviews.flags.vetoed")}>
          {card.vetoed ? t("common.yes") : t("common.no")}
        </Descriptions.Item>
        <Descriptions.Item label={t("reviews.scorecard.earned")}>{formatPoints(card.earned, language)}</Descriptions.Item>
        <Descriptions.Item label={t("reviews.scorecard.attainable")}>
          {formatPoints(card.attainable, language)}
        </Descriptions.Item>
        <Descriptions.Item label={t("reviews.scorecard.normalised")}>
          {formatPoints(card.normalised, language)}
        </Descriptions.Item>
        <Descriptions.Item label={t("reviews.scorecard.bonus")}>{formatPoints(card.bonus, language)}</Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t("reviews.scorecard.categories")}>
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          scroll={{ x: true }}
          dataSource={card.categories}
          columns={[
            { title: t("reviews.table.code"), dataIndex: "code" },
            { title: t("reviews.scorecard.category"), dataIndex: "title" },
            { title: t("reviews.table.max"), dataIndex: "maxPoints", align: "right", render: (v: string) => formatPoints(v, language) },
            { title: t("reviews.scorecard.self"), key: "self", align: "right", render: (_, c) => formatPoints(selfBy.get(c.code), language) },
            { title: t("reviews.scorecard.reviewed"), dataIndex: "points", align: "right", render: (v: string) => formatPoints(v, language) },
            { title: t("reviews.table.gap"), key: "gap", align: "right", render: (_, c) => <GapText gap={gapOf(selfBy.get(c.code), c.points)} /> },
          ]}
        />
      </Card>
      <Card size="small" title={t("reviews.scorecard.explanation")}>
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          scroll={{ x: true }}
          dataSource={card.explanation}
          columns={[
            { title: t("reviews.table.code"), dataIndex: "code", width: 80 },
            { title: t("reviews.scorecard.rule"), dataIndex: "rule", width: 120 },
            { title: t("reviews.scorecard.input"), dataIndex: "input" },
            { title: t("reviews.scorecard.text"), dataIndex: "text" },
            { title: t("reviews.scorecard.points"), dataIndex: "points", align: "right", render: (v: string) => formatPoints(v, language) },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                <strong>{t("reviews.scorecard.total")}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <strong>{formatPoints(card.total, language)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
    </Space>
  );
}
