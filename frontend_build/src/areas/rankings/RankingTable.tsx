// The ranking table: rank, movement, unit, total and its change and band, grade, veto flag, paged
// on the server; units ticked here (2-6) are compared side by side. When the cycle assesses its
// units in groups (分类考核) each row names its group and its rank is within the group (1/8).
import { BarChartOutlined } from "@ant-design/icons";
import { Button, Card, Space, Table, Tag, Typography } from "antd";
import type { TablePaginationConfig } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber, formatPoints, unitName } from "../../format";
import type { RankingPageQuery, RankingRowFragment } from "../../gql/graphql";
import { BandTag, GradeTag, RankChange, ScoreChange, RuleTags } from "./parts";
import { MAX_COMPARED_UNITS, rankedInGroups } from "./ranking";

type Props = {
  data: RankingPageQuery["rankings"] | undefined;
  loading: boolean;
  pagination: TablePaginationConfig;
  selected: Map<string, string>;
  onSelect: (selected: Map<string, string>) => void;
  onCompare: () => void;
  /** Only units assessed in the cycle (its own level) can be compared, not the regions above them. */
  selectable: boolean;
};

export function rowKey(entry: RankingRowFragment): string {
  return entry.tenant?.id ?? `code:${entry.unit.code}`;
}

export function RankingTable({
  data,
  loading,
  pagination,
  selected,
  onSelect,
  onCompare,
  selectable,
}: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = data?.edges.map((edge) => edge.node) ?? [];
  const full = selected.size >= MAX_COMPARED_UNITS;
  const grouped = rankedInGroups(rows);

  function toggle(entry: RankingRowFragment, checked: boolean) {
    const next = new Map(selected);
    if (checked && entry.tenant) next.set(entry.tenant.id, unitName(entry.unit, language));
    else next.delete(rowKey(entry));
    onSelect(next);
  }

  return (
    <Card
      title={t("rankings.table.title")}
      extra={
        selectable && (
          <Space wrap>
            <Typography.Text type="secondary">
              {t("rankings.table.selected", { count: selected.size, max: MAX_COMPARED_UNITS })}
            </Typography.Text>
            <Button
              type="primary"
              icon={<BarChartOutlined />}
              disabled={selected.size < 2}
              onClick={onCompare}
            >
              {t("rankings.table.compare")}
            </Button>
          </Space>
        )
      }
    >
      <Table<RankingRowFragment>
        rowKey={rowKey}
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={pagination}
        scroll={{ x: true }}
        locale={{ emptyText: t("rankings.table.empty") }}
        rowSelection={
          selectable
            ? {
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                hideSelectAll: true,
                columnTitle: t("rankings.table.pick"),
                columnWidth: 64,
                onSelect: (entry, checked) => toggle(entry, checked),
                getCheckboxProps: (entry) => ({
                  disabled: !entry.tenant || (full && !selected.has(rowKey(entry))),
                  "aria-label": t("rankings.table.pickUnit", { unit: unitName(entry.unit, language) }),
                }),
              }
            : undefined
        }
        columns={[
          ...(grouped
            ? [
                {
                  key: "group",
                  title: t("rankings.table.group"),
                  width: 130,
                  render: (_: unknown, entry: RankingRowFragment) =>
                    entry.groupName ? <Tag color="cyan">{entry.groupName}</Tag> : "—",
                },
              ]
            : []),
          {
            key: "rank",
            title: grouped ? t("rankings.table.rankInGroup") : t("rankings.table.rank"),
            width: grouped ? 100 : 80,
            render: (_, entry) =>
              entry.groupCode ? (
                <span style={{ whiteSpace: "nowrap" }}>
                  <Typography.Text strong>{formatNumber(entry.rank, language)}</Typography.Text>
                  <Typography.Text type="secondary">/{formatNumber(entry.of, language)}</Typography.Text>
                </span>
              ) : (
                <Typography.Text strong>{formatNumber(entry.rank, language)}</Typography.Text>
              ),
          },
          {
            key: "change",
            title: t("rankings.table.change"),
            width: 90,
            render: (_, entry) => <RankChange entry={entry} />,
          },
          {
            key: "unit",
            title: t("common.unit"),
            render: (_, entry) => (
              <Space size={4} wrap={false}>
                <span style={{ whiteSpace: "nowrap" }}>{unitName(entry.unit, language)}</span>
                <Typography.Text type="secondary" style={{ whiteSpace: "nowrap" }}>
                  {entry.unit.code}
                </Typography.Text>
              </Space>
            ),
          },
          {
            key: "score",
            title: t("rankings.table.score"),
            align: "right",
            render: (_, entry) => formatPoints(entry.score, language),
          },
          {
            key: "scoreChange",
            title: t("rankings.table.scoreChange"),
            align: "right",
            render: (_, entry) => <ScoreChange entry={entry} />,
          },
          {
            key: "band",
            title: t("rankings.table.band"),
            render: (_, entry) => <BandTag band={entry.band} />,
          },
          {
            key: "self",
            title: t("rankings.table.selfTotal"),
            align: "right",
            render: (_, entry) => formatPoints(entry.selfTotal, language),
          },
          {
            key: "grade",
            title: t("rankings.table.grade"),
            render: (_, entry) => <GradeTag grade={entry.grade} />,
          },
          {
            key: "veto",
            title: t("rankings.table.veto"),
            render: (_, entry) => <RuleTags entry={entry} />,
          },
          {
            key: "hazards",
            title: t("rankings.table.overdue"),
            align: "right",
            render: (_, entry) =>
              entry.overdueMajorHazards > 0 ? (
                <Typography.Text type="danger">
                  {formatNumber(entry.overdueMajorHazards, language)}
                </Typography.Text>
              ) : (
                formatNumber(0, language)
              ),
          },
        ]}
      />
    </Card>
  );
}
