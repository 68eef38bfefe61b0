// One chosen ranking (cycle, region, level): the snapshot line with its version changes, the
// ranking status, the figures, the charts, the table (tick units to compare), the history over
// cycles, the leaders' lists and (at the cycle's own level, on a tab) the consequences register;
// or why there is none.
import { ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Result, Row, Space, Tabs, Tag, Typography } from "antd";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { GradeNamesContext } from "../../components/gradeNames";
import { useNavigate, useSearchParams } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import type { CycleOption } from "../../components/CycleSelect";
import { formatDate, unitName } from "../../format";
import {
  CycleRankingStatusDocument,
  RankingPageDocument,
  RankingSummaryDocument,
  RankingVersionsDocument,
  type TenantLevel,
  type UnitRefFragment,
} from "../../gql/graphql";
import { ConsequenceRegister } from "./ConsequenceRegister";
import { HistoryCard } from "./HistoryCard";
import { LeaderLists } from "./LeaderLists";
import { SnapshotLine } from "./parts";
import { compareCycles, compareSearch } from "./ranking";
import { GradeChart, TotalsChart } from "./RankingCharts";
import { RankingTable } from "./RankingTable";
import { SummaryFigures } from "./SummaryFigures";
import { VersionControl } from "./VersionChanges";

type Props = {
  cycle: CycleOption;
  cycles: CycleOption[];
  scope: UnitRefFragment;
  level: TenantLevel;
  /** Only this assessment group's units (分类考核); null: all of them, group after group. */
  group?: string | null;
};

export function RankingResults({ cycle, cycles, scope, level, group = null }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const paging = useCursorPaging(20);
  const [selected, setSelected] = useState(new Map<string, string>());
  const vars = { cycle: cycle.id, scope: scope.id, level };
  const page = useGql(
    RankingPageDocument,
    { ...vars, first: paging.first, after: paging.after, group },
    { placeholderData: keepPreviousData },
  );
  const chart = useGql(RankingPageDocument, { ...vars, first: 100, after: null, group });
  const summary = useGql(RankingSummaryDocument, { ...vars, group });
  const statusQuery = useGql(CycleRankingStatusDocument, { cycle: cycle.id });
  const versions = useGql(RankingVersionsDocument, { cycle: cycle.id });
  const statusNode = statusQuery.data?.node;
  const status = statusNode?.__typename === "Cycle" ? statusNode.rankingStatus : null;
  const gradeNames = statusNode?.__typename === "Cycle" ? statusNode.template.grades.names : null;
  const scopeName = unitName(scope, i18n.language);

  function refresh() {
    void page.refetch();
    void chart.refetch();
    void summary.refetch();
    void statusQuery.refetch();
    void versions.refetch();
    // The history and the register (keyed by their operations' names) read the same published
    // ranking, so a new version changes them too.
    for (const name of ["RankingHistory", "ConsequenceRegister"]) {
      void client.invalidateQueries({ queryKey: [name] });
    }
  }

  function compare() {
    const search = compareSearch({
      cycles: compareCycles(cycle.id, cycles),
      units: [...selected.keys()],
      scope: scope.id,
      level,
    });
    navigate(`/rankings/compare?${search}`);
  }

  // The lists or the register, kept in the address (tab=register) so a view can be shared.
  const tab = search.get("tab") === "register" ? "register" : "lists";
  function openTab(key: string) {
    const next = new URLSearchParams(search);
    if (key === "register") next.set("tab", key);
    else next.delete("tab");
    setSearch(next, { replace: true });
  }
  const lists = <LeaderLists data={summary.data} scopeName={scopeName} loading={summary.isLoading} />;

  const statusLine = status && (
    <Space wrap size="small">
      {status.pending && <Tag color="processing">{t("rankings.status.pending")}</Tag>}
      {status.queued && <Tag color="processing">{t("rankings.status.queued")}</Tag>}
      {status.lastError && (
        <Alert type="error" showIcon title={t("rankings.status.failed", { error: status.lastError })} />
      )}
    </Space>
  );

  const failure = page.error ?? summary.error;
  if (failure && !page.data) {
    return (
      <Alert
        type="error"
        showIcon
        title={describeFailure(failure, t)}
        action={<Button onClick={refresh}>{t("errors.reload")}</Button>}
      />
    );
  }

  const snapshot = page.data?.rankings.snapshot;
  if (page.data && !snapshot) {
    return (
      <Result
        status="info"
        title={t("rankings.noSnapshot")}
        subTitle={
          status
            ? t("rankings.status.line", {
                version: status.snapshotVersion ?? "—",
                time: formatDate(status.computedAt, i18n.language),
              })
            : t("rankings.status.never")
        }
        extra={statusLine}
      />
    );
  }

  return (
    <GradeNamesContext.Provider value={gradeNames}>
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Text strong>
          {t("rankings.heading", { scope: scopeName, level: t(`levels.${level}`), cycle: cycle.name })}
        </Typography.Text>
        {snapshot && <SnapshotLine snapshot={snapshot} />}
        {snapshot && versions.data && (
          <VersionControl
            cycleId={cycle.id}
            scope={scope}
            level={level}
            current={snapshot.version}
            versions={versions.data.rankingVersions}
          />
        )}
        {statusLine}
        <Button
          size="small"
          icon={<ReloadOutlined />}
          loading={page.isFetching || summary.isFetching}
          onClick={refresh}
        >
          {t("common.refresh")}
        </Button>
      </Space>
      {failure && <Alert type="error" showIcon title={describeFailure(failure, t)} />}
      <SummaryFigures aggregate={summary.data?.rankingAggregate} loading={summary.isLoading} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <TotalsChart
            entries={chart.data?.rankings.edges.map((e) => e.node) ?? []}
            total={chart.data?.rankings.totalCount ?? 0}
            loading={chart.isLoading}
          />
        </Col>
        <Col xs={24} xl={8}>
          <GradeChart aggregate={summary.data?.rankingAggregate} loading={summary.isLoading} />
        </Col>
      </Row>
      <RankingTable
        data={page.data?.rankings}
        loading={page.isFetching}
        pagination={paging.pagination(page.data?.rankings.totalCount, page.data?.rankings.pageInfo)}
        selected={selected}
        onSelect={setSelected}
        onCompare={compare}
        selectable={level === cycle.level}
      />
      <HistoryCard cycle={cycle.id} scope={scope.id} />
      {/* The register is decided on the cycle's own units, not the regions above them. */}
      {level === cycle.level ? (
        <Tabs
          activeKey={tab}
          onChange={openTab}
          items={[
            { key: "lists", label: t("rankings.lists.tab"), children: lists },
            {
              key: "register",
              label: t("rankings.register.title"),
              children: <ConsequenceRegister cycleId={cycle.id} scope={scope} group={group} />,
            },
          ]}
        />
      ) : (
        lists
      )}
    </Space>
    </GradeNamesContext.Provider>
  );
}
