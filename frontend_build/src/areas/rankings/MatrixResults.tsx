// One region's matrix: the heading and snapshot, the toolbar (columns, order, filters), the
// banded table paged 50 at a time on the server, and the trend drawer of a clicked cell.
import { Alert, Button, Card, Result, Space, Typography } from "antd";
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import type { CycleOption } from "../../components/CycleSelect";
import { unitName } from "../../format";
import {
  MatrixCategoriesDocument,
  ScorecardMatrixDocument,
  type TenantLevel,
  type UnitRefFragment,
} from "../../gql/graphql";
import { MATRIX_PAGE_SIZE, type MatrixChoice, matrixVariables, sortFromHeader } from "./matrix";
import { BandLegend } from "./MatrixCells";
import { MatrixTable, type TrendTarget } from "./MatrixTable";
import { MatrixToolbar } from "./MatrixToolbar";
import { SnapshotLine } from "./parts";
import { TrendDrawer } from "./TrendDrawer";

type Props = {
  choice: MatrixChoice;
  cycle: CycleOption;
  scope: UnitRefFragment;
  level: TenantLevel;
  onChange: (next: Partial<MatrixChoice>) => void;
  onOpen: (unit: { id: string; level: TenantLevel }) => void;
};

export function MatrixResults({ choice, cycle, scope, level, onChange, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const paging = useCursorPaging(MATRIX_PAGE_SIZE);
  const [trend, setTrend] = useState<TrendTarget | null>(null);
  const shown = { cycle: cycle.id, scope: scope.id, level };
  const options = matrixVariables(choice);

  // Another order or filter starts again from the first page.
  const pagedFor = JSON.stringify(options);
  const [pagedKey, setPagedKey] = useState(pagedFor);
  if (pagedKey !== pagedFor) {
    setPagedKey(pagedFor);
    paging.reset();
  }

  const page = useGql(
    ScorecardMatrixDocument,
    { ...shown, ...options, first: paging.first, after: paging.after },
    { placeholderData: keepPreviousData },
  );
  const categories = useGql(MatrixCategoriesDocument, shown, {
    enabled: choice.columns === "INDICATOR",
  });
  const matrix = page.data?.scorecardMatrix;
  const heading = t("rankings.matrix.heading", {
    cycle: cycle.name,
    scope: unitName(scope, i18n.language),
    level: t(`levels.${level}`),
  });

  // A sort or filter column the template does not have (an old link) is INVALID: offer the
  // defaults. Anything else (the ranking republished under a later page) reloads from the start.
  const invalid = page.error instanceof ApiError && page.error.code === "INVALID";
  const failure = page.error && (
    <Alert
      type="error"
      showIcon
      title={describeFailure(page.error, t)}
      description={invalid ? t("rankings.matrix.badChoice") : undefined}
      action={
        invalid ? (
          <Button
            onClick={() =>
              onChange({
                sort: "RANK",
                sortColumn: null,
                descending: false,
                category: null,
                relative: null,
                relativeColumn: null,
              })
            }
          >
            {t("rankings.matrix.resetChoice")}
          </Button>
        ) : (
          <Button onClick={() => (paging.after ? paging.reset() : void page.refetch())}>
            {t("errors.reload")}
          </Button>
        )
      }
    />
  );
  if (failure && !matrix) return failure;
  if (matrix && !matrix.snapshot) {
    return <Result status="info" title={t("rankings.matrix.noSnapshot")} />;
  }

  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Text strong>{heading}</Typography.Text>
        {matrix?.snapshot && <SnapshotLine snapshot={matrix.snapshot} />}
      </Space>
      {failure}
      <MatrixToolbar
        choice={choice}
        columns={matrix?.columns ?? []}
        categories={
          choice.columns === "INDICATOR"
            ? (categories.data?.scorecardMatrix.columns ?? [])
            : (matrix?.columns ?? [])
        }
        onChange={onChange}
      />
      <Card
        size="small"
        title={
          <Space wrap>
            <span>{t("rankings.matrix.title")}</span>
            {matrix && (
              <Typography.Text type="secondary">
                {t("rankings.matrix.rows", { count: matrix.totalCount })}
              </Typography.Text>
            )}
          </Space>
        }
        extra={matrix && <BandLegend thresholds={matrix.totalThresholds} />}
        styles={{ body: { padding: 0 } }}
      >
        <MatrixTable
          data={matrix}
          loading={page.isFetching}
          choice={choice}
          cycleLevel={cycle.level}
          pagination={paging.pagination(matrix?.totalCount, matrix?.pageInfo)}
          onSort={(key, order) => onChange(sortFromHeader(key, order))}
          onOpen={onOpen}
          onTrend={setTrend}
        />
      </Card>
      <TrendDrawer target={trend} shown={shown} onClose={() => setTrend(null)} />
    </Space>
  );
}
