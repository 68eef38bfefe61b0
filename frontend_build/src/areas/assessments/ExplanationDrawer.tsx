// The whole self scorecard explained: category subtotals and every line the engine wrote,
// indicator by indicator then the card's own (caps, normalisation, bonus cap, vetoes).
import { Descriptions, Drawer, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";
import type { AssessmentCardFragment } from "../../gql/graphql";

type Props = {
  open: boolean;
  onClose: () => void;
  card: AssessmentCardFragment;
  titles: Map<string, string>;
};

type Line = AssessmentCardFragment["explanation"][number];

export function ExplanationDrawer({ open, onClose, card, titles }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const points = (value: string) => formatPoints(value, language);
  return (
    <Drawer open={open} onClose={onClose} title={t("assessments.explainTitle")} size={760}>
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("assessments.total")}>
          <Typography.Text strong>{points(card.total)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("assessments.grade")}>{card.gradeName || t(`assessments.grades.${card.grade}`)}</Descriptions.Item>
        <Descriptions.Item label={t("assessments.attainable")}>{points(card.attainable)}</Descriptions.Item>
        <Descriptions.Item label={t("assessments.bonus")}>{points(card.bonus)}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        scroll={{ x: true }}
        style={{ marginBottom: 16 }}
        dataSource={card.categories}
        columns={[
          { title: t("common.code"), dataIndex: "code" },
          { title: t("common.name"), dataIndex: "title" },
          {
            title: t("assessments.points"),
            key: "points",
            align: "right" as const,
            render: (_: unknown, c: AssessmentCardFragment["categories"][number]) =>
              `${points(c.points)} / ${points(c.maxPoints)}`,
          },
        ]}
      />
      <Table<Line>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        scroll={{ x: true }}
        dataSource={card.explanation}
        columns={[
          {
            title: t("assessments.indicator"),
            key: "code",
            width: 180,
            render: (_: unknown, line: Line) =>
              line.code ? `${line.code} ${titles.get(line.code) ?? ""}` : t("assessments.card"),
          },
          { title: t("assessments.rule"), dataIndex: "rule", width: 110 },
          { title: t("assessments.input"), dataIndex: "input", width: 140 },
          { title: t("assessments.text"), dataIndex: "text" },
          {
            title: t("assessments.points"),
            key: "points",
            align: "right" as const,
            width: 80,
            render: (_: unknown, line: Line) => (
              <Typography.Text type={Number(line.points) < 0 ? "danger" : undefined}>{points(line.points)}</Typography.Text>
            ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={4}>
              <Typography.Text strong>{t("assessments.total")}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <Typography.Text strong>{points(card.total)}</Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Drawer>
  );
}
