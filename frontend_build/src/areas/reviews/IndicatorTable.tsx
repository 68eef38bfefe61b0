// The indicator tree under review: categories and indicators with the unit's entry, self and
// reviewed points side by side, the gap, the review's word, evidence and the row's actions.
import { Button, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type ReactNode, useMemo } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { clip } from "../../components/RequirementText";
import { formatPoints } from "../../format";
import { Evidence } from "./Evidence";
import {
  type AssessmentNode,
  buildTree,
  categoryKeys,
  type EntryRow,
  reviewStatus,
  selfInputParts,
  type TreeRow,
} from "./logic";
import { GapText } from "./tags";

const STATUS_COLORS = {
  pending: "default",
  confirmed: "green",
  adjusted: "orange",
  naAccepted: "cyan",
  naRefused: "orange",
} as const;

type Props = {
  assessment: AssessmentNode;
  reviewable: boolean;
  confirming: string | null;
  onConfirm: (entry: EntryRow) => void;
  onOpen: (entry: EntryRow) => void;
};

export function IndicatorTable({ assessment, reviewable, confirming, onConfirm, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = useMemo(
    () =>
      buildTree(
        assessment.cycle.template.categories,
        assessment.entries,
        assessment.selfCard?.categories,
        assessment.scorecard?.categories,
      ),
    [assessment],
  );
  const spotByItem = useMemo(() => {
    const map = new Map<string, number>();
    for (const s of assessment.spotChecks) map.set(s.itemCode, (map.get(s.itemCode) ?? 0) + 1);
    return map;
  }, [assessment.spotChecks]);

  const columns: ColumnsType<TreeRow> = [
    {
      title: t("reviews.table.title"),
      key: "title",
      width: 230,
      render: (_, row) =>
        row.kind === "category" ? (
          <Typography.Text strong>
            {row.code} {row.title}
          </Typography.Text>
        ) : (
          <Tooltip title={row.entry ? indicatorTip(row.entry.indicator, t) : undefined}>
            <span>
              <Typography.Text type="secondary">{row.code}</Typography.Text> {row.title}
            </span>
          </Tooltip>
        ),
    },
    {
      title: t("reviews.table.max"),
      dataIndex: "maxPoints",
      align: "right",
      render: (v: string) => formatPoints(v, language),
    },
    {
      title: t("reviews.table.selfInput"),
      key: "input",
      width: 130,
      render: (_, row) =>
        row.entry ? (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {selfInputParts(row.entry)
              .map((p) => t(`reviews.${p.key}`, p.values))
              .join("；")}
          </Typography.Text>
        ) : null,
    },
    {
      title: t("reviews.table.selfPoints"),
      dataIndex: "selfPoints",
      align: "right",
      render: (v: string | null) => formatPoints(v, language),
    },
    {
      title: t("reviews.table.reviewedPoints"),
      dataIndex: "reviewedPoints",
      align: "right",
      render: (v: string | null, row) => (
        <Space size={4}>
          {formatPoints(v, language)}
          {row.entry && spotByItem.has(row.code) && (
            <Tag color="purple">{t("reviews.table.spot")}</Tag>
          )}
        </Space>
      ),
    },
    {
      title: t("reviews.table.gap"),
      dataIndex: "gap",
      align: "right",
      render: (v: string | null) => <GapText gap={v} />,
    },
    {
      title: t("reviews.table.status"),
      key: "status",
      width: 120,
      render: (_, row) => {
        if (!row.entry) return null;
        const status = reviewStatus(row.entry);
        return (
          <Space direction="vertical" size={0}>
            <Tag color={STATUS_COLORS[status]}>{t(`reviews.status.${status}`)}</Tag>
            {row.entry.reviewReason && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {row.entry.reviewReason}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      title: t("reviews.table.evidence"),
      key: "evidence",
      width: 80,
      render: (_, row) => (row.entry ? <Evidence attachments={row.entry.attachments} /> : null),
    },
    {
      title: t("reviews.table.actions"),
      key: "actions",
      width: 130,
      fixed: "right",
      render: (_, row) => {
        const entry = row.entry;
        if (!entry) return null;
        const label = `${entry.indicator.code} ${entry.indicator.title}`;
        if (!reviewable) {
          return (
            <Button size="small" onClick={() => onOpen(entry)} aria-label={`${t("reviews.table.details")} ${label}`}>
              {t("reviews.table.details")}
            </Button>
          );
        }
        return (
          <Space size={4}>
            {!entry.reviewed && (
              <Button
                size="small"
                loading={confirming === entry.indicator.code}
                disabled={confirming !== null}
                onClick={() => onConfirm(entry)}
                aria-label={`${t("reviews.table.confirm")} ${label}`}
              >
                {t("reviews.table.confirm")}
              </Button>
            )}
            <Button
              size="small"
              type={entry.reviewed ? "default" : "primary"}
              ghost={!entry.reviewed}
              onClick={() => onOpen(entry)}
              aria-label={`${t("reviews.table.adjust")} ${label}`}
            >
              {t("reviews.table.adjust")}
            </Button>
          </Space>
        );
      },
    },
  ];

  return (
    <Table<TreeRow>
      rowKey="key"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 1000 }}
      expandable={{ defaultExpandedRowKeys: categoryKeys(rows), indentSize: 12 }}
      rowClassName={(row) => (row.kind === "category" ? "reviews-category-row" : "")}
    />
  );
}

/** A row's hover: its requirement (cut short; the details show it whole) above its criteria;
 * nothing when it has neither. */
function indicatorTip(indicator: EntryRow["indicator"], t: TFunction): ReactNode {
  const requirement = indicator.requirement.trim();
  if (!requirement) return indicator.criteria || undefined;
  return (
    <div style={{ whiteSpace: "pre-line" }}>
      <div>
        <strong>{t("reviews.adjust.requirement")}</strong> {clip(requirement)}
      </div>
      {indicator.criteria && (
        <div style={{ marginTop: 4 }}>
          <strong>{t("reviews.adjust.criteria")}</strong> {indicator.criteria}
        </div>
      )}
    </div>
  );
}
