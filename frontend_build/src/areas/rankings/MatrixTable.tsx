// The matrix table: rank, unit (veto, open a region) and total fixed on the left, a banded cell per
// category or indicator, the averages pinned on top; header clicks sort on the server.
import { NodeExpandOutlined } from "@ant-design/icons";
import { Button, Space, Table, Tooltip, Typography } from "antd";
import type { TablePaginationConfig } from "antd";
import type { ColumnType } from "antd/es/table";
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber, formatPoints, unitName } from "../../format";
import type { BandLimitsFragment, ScorecardMatrixQuery, TenantLevel } from "../../gql/graphql";
import { BAND_LOOKS, cellView, headerOrder, type MatrixChoice, nextDrillLevel, type SortKey } from "./matrix";
import { activate, AverageCell, type ColumnInfo, ColumnHeader, MatrixCellContent } from "./MatrixCells";
import { GradeTag, RankChange, ScoreChange, RuleTags } from "./parts";

type Matrix = ScorecardMatrixQuery["scorecardMatrix"];
type Row = Matrix["edges"][number]["node"];

/** What a click asks the trend of: one unit's column, or its total (column null). */
export type TrendTarget = {
  unitId: string;
  unitName: string;
  column: ColumnInfo | null;
  thresholds: BandLimitsFragment;
};

type Props = {
  data: Matrix | undefined;
  loading: boolean;
  choice: MatrixChoice;
  cycleLevel: TenantLevel;
  pagination: TablePaginationConfig;
  onSort: (key: SortKey, order: "ascend" | "descend" | null | undefined) => void;
  onOpen: (unit: { id: string; level: TenantLevel }) => void;
  onTrend: (target: TrendTarget) => void;
};

function rowKey(row: Row): string {
  return row.entry.tenant?.id ?? `code:${row.entry.unit.code}`;
}

/** Clicks on the veto tag and the open button are theirs, not the row's trend. */
function own(event: MouseEvent) {
  event.stopPropagation();
}

export function MatrixTable({
  data,
  loading,
  choice,
  cycleLevel,
  pagination,
  onSort,
  onOpen,
  onTrend,
}: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows = data?.edges.map((edge) => edge.node) ?? [];
  const region = !!data?.canDrill;
  const below = data ? nextDrillLevel(data.level, cycleLevel) : null;
  const sortKeys = new Map<string, SortKey>([
    ["rank", { by: "RANK" }],
    ["unit", { by: "NAME" }],
  ]);

  function totalTrend(row: Row) {
    if (!row.entry.tenant || !data) return;
    onTrend({
      unitId: row.entry.tenant.id,
      unitName: unitName(row.entry.unit, language),
      column: null,
      thresholds: data.totalThresholds,
    });
  }

  const fixed: ColumnType<Row>[] = [
    {
      key: "rank",
      title: t("rankings.matrix.rank"),
      fixed: "left",
      width: 76,
      align: "center",
      sorter: true,
      sortOrder: headerOrder(choice, { by: "RANK" }),
      render: (_, row) => (
        <Space direction="vertical" size={0} align="center">
          <Typography.Text strong>{formatNumber(row.entry.rank, language)}</Typography.Text>
          <RankChange entry={row.entry} />
        </Space>
      ),
    },
    {
      key: "unit",
      title: t("rankings.matrix.unit"),
      fixed: "left",
      width: 170,
      sorter: true,
      sortOrder: headerOrder(choice, { by: "NAME" }),
      onCell: (row) => ({ onClick: () => totalTrend(row), className: "matrix-unit" }),
      render: (_, row) => {
        const name = unitName(row.entry.unit, language);
        return (
          <Space direction="vertical" size={2}>
            <span
              aria-label={t("rankings.matrix.cellLabel", {
                unit: name,
                column: t("rankings.matrix.total"),
                value: formatPoints(row.entry.score, language),
              })}
              {...activate(() => totalTrend(row))}
            >
              <Typography.Text strong>{name}</Typography.Text>{" "}
              <Typography.Text type="secondary">{row.entry.unit.code}</Typography.Text>
            </span>
            <Space size={4} wrap>
              {(row.entry.vetoed || row.entry.yellowCards.length > 0) && (
                <span onClick={own}>
                  <RuleTags entry={row.entry} />
                </span>
              )}
              {row.canDrill && row.entry.tenant && below && (
                <Button
                  size="small"
                  icon={<NodeExpandOutlined />}
                  aria-label={t("rankings.matrix.openUnit", { unit: name, level: t(`levels.${below}`) })}
                  onClick={(event) => {
                    own(event);
                    onOpen({ id: row.entry.tenant!.id, level: data!.level });
                  }}
                >
                  {t("rankings.matrix.open")}
                </Button>
              )}
            </Space>
          </Space>
        );
      },
    },
    {
      key: "total",
      title: t("rankings.matrix.total"),
      fixed: "left",
      width: 132,
      align: "center",
      onCell: (row) => {
        const look = row.entry.band ? BAND_LOOKS[row.entry.band] : null;
        return {
          onClick: () => totalTrend(row),
          style: look
            ? { background: look.background, color: look.color, cursor: "pointer" }
            : { cursor: "pointer" },
        };
      },
      render: (_, row) => (
        <div className="matrix-cell" data-band={row.entry.band ?? ""}>
          <span>
            <span className="matrix-cell-main">{formatPoints(row.entry.score, language)}</span>{" "}
            <ScoreChange entry={row.entry} />
          </span>
          {row.entry.band && <span className="matrix-cell-sub">{t(`rankings.bands.${row.entry.band}`)}</span>}
          {row.entry.grade && <GradeTag grade={row.entry.grade} />}
        </div>
      ),
    },
  ];

  const banded: ColumnType<Row>[] = (data?.columns ?? []).map((column, index) => {
    const key = `column:${column.code}`;
    sortKeys.set(key, { by: "COLUMN", column: column.code });
    const cellOf = (row: Row) =>
      row.cells[index]?.column === column.code
        ? row.cells[index]
        : row.cells.find((c) => c.column === column.code);
    return {
      key,
      title: <ColumnHeader column={column} />,
      width: data?.columns.length && data.columns.length > 10 ? 108 : 120,
      align: "center",
      sorter: true,
      sortOrder: headerOrder(choice, { by: "COLUMN", column: column.code }),
      onCell: (row) => {
        const look = cellView(cellOf(row)).look;
        return {
          onClick: () =>
            row.entry.tenant &&
            onTrend({
              unitId: row.entry.tenant.id,
              unitName: unitName(row.entry.unit, language),
              column,
              thresholds: column.thresholds,
            }),
          style: look ? { background: look.background, color: look.color } : undefined,
        };
      },
      render: (_, row) => (
        <MatrixCellContent
          cell={cellOf(row)}
          column={column}
          unit={unitName(row.entry.unit, language)}
          region={region}
          onTrend={() =>
            row.entry.tenant &&
            onTrend({
              unitId: row.entry.tenant.id,
              unitName: unitName(row.entry.unit, language),
              column,
              thresholds: column.thresholds,
            })
          }
        />
      ),
    };
  });

  return (
    <Table<Row>
      className="matrix-table"
      rowKey={rowKey}
      size="small"
      bordered
      sticky
      loading={loading}
      dataSource={rows}
      columns={[...fixed, ...banded]}
      pagination={{ ...pagination, position: ["bottomRight"] }}
      scroll={{ x: "max-content" }}
      showSorterTooltip={false}
      locale={{ emptyText: t("rankings.matrix.empty") }}
      onChange={(_pagination, _filters, sorter, extra) => {
        if (extra.action !== "sort") return;
        const one = Array.isArray(sorter) ? sorter[0] : sorter;
        const key = sortKeys.get(String(one?.columnKey));
        if (key) onSort(key, one?.order);
      }}
      summary={() =>
        data && (
          <Table.Summary fixed="top">
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <Tooltip title={t("rankings.matrix.averageHint")}>
                  <Typography.Text strong tabIndex={0}>
                    {t("rankings.matrix.average")}
                  </Typography.Text>
                </Tooltip>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="center">
                <AverageCell percent={data.averagePercentOfMax} thresholds={data.totalThresholds} />
              </Table.Summary.Cell>
              {data.columns.map((column, index) => {
                const average = data.averages.find((a) => a.column === column.code);
                return (
                  <Table.Summary.Cell key={column.code} index={3 + index} align="center">
                    <AverageCell
                      percent={average?.percentOfMax}
                      thresholds={column.thresholds}
                      counted={average?.counted ?? 0}
                      missing={average?.missing ?? 0}
                      notApplicable={average?.notApplicable ?? 0}
                    />
                  </Table.Summary.Cell>
                );
              })}
            </Table.Summary.Row>
          </Table.Summary>
        )
      }
    />
  );
}
