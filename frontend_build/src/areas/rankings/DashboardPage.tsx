// The leaders' dashboard (/rankings): choose a cycle, a region and a level; the published
// ranking, its figures, charts and lists follow. The choice lives in the URL to share it.
import { BarChartOutlined } from "@ant-design/icons";
import { Alert, Button, Empty, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import {
  CycleOptionsDocument,
  RankingScopeDocument,
  type TenantLevel,
  type UnitRefFragment,
} from "../../gql/graphql";
import { DashboardFilters } from "./DashboardFilters";
import { defaultScope, parseDashboard, rankableLevels } from "./ranking";
import { RankingResults } from "./RankingResults";

export function DashboardPage() {
  const { t } = useTranslation();
  const { user } = useViewer();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const choice = parseDashboard(search);

  const cyclesQuery = useGql(CycleOptionsDocument, { first: 100 });
  const cycles = cyclesQuery.data?.cycles.edges.map((e) => e.node) ?? [];
  // Newest first by default, as the picker lists them.
  const cycle = choice.cycle ? cycles.find((c) => c.id === choice.cycle) : cycles[cycles.length - 1];
  const base = cycle ? defaultScope(cycle, user?.node) : null;
  const scopeId = choice.scope ?? base;

  const scopeQuery = useGql(RankingScopeDocument, { id: scopeId ?? "" }, { enabled: !!scopeId });
  const scopeNode = scopeQuery.data?.node;
  const scope = scopeNode?.__typename === "Tenant" ? scopeNode : undefined;
  const baseAt = scope ? [...scope.ancestors, scope].findIndex((u) => u.id === base) : -1;
  const path: UnitRefFragment[] = scope
    ? baseAt >= 0
      ? [...scope.ancestors, scope].slice(baseAt)
      : [scope]
    : [];
  const levels = scope && cycle ? rankableLevels(scope.level, cycle.level) : [];
  const level: TenantLevel | undefined =
    choice.level && levels.includes(choice.level)
      ? choice.level
      : cycle && levels.includes(cycle.level)
        ? cycle.level
        : levels[levels.length - 1];

  function choose(next: { cycle?: string; scope?: string; level?: TenantLevel }) {
    const params = new URLSearchParams();
    const cycleId = next.cycle ?? cycle?.id;
    if (cycleId) params.set("cycle", cycleId);
    const keepScope = next.cycle === undefined;
    const nextScope = next.scope ?? (keepScope ? choice.scope : null);
    if (nextScope && nextScope !== base) params.set("scope", nextScope);
    if (next.level && keepScope) params.set("level", next.level);
    setSearch(params);
  }

  const failure = cyclesQuery.error ?? scopeQuery.error;
  let body;
  if (failure) {
    body = <Alert type="error" showIcon title={describeFailure(failure, t)} />;
  } else if (cyclesQuery.isLoading || (scopeId && scopeQuery.isLoading)) {
    body = (
      <Spin tip={t("common.loading")}>
        <div style={{ minHeight: 200 }} />
      </Spin>
    );
  } else if (cycles.length === 0) {
    body = <Empty description={t("rankings.noCycles")} />;
  } else if (!cycle) {
    body = <Alert type="warning" showIcon title={t("rankings.unknownCycle")} />;
  } else if (!scope || !level) {
    body = <Alert type="warning" showIcon title={t("rankings.unknownScope")} />;
  } else {
    body = (
      <RankingResults
        key={`${cycle.id}|${scope.id}|${level}`}
        cycle={cycle}
        cycles={cycles}
        scope={scope}
        level={level}
      />
    );
  }

  return (
    <>
      <div className="page-head">
        <Typography.Title level={2}>{t("rankings.title")}</Typography.Title>
        <Button icon={<BarChartOutlined />} onClick={() => navigate("/rankings/compare")}>
          {t("rankings.compare.title")}
        </Button>
      </div>
      <DashboardFilters
        cycle={cycle}
        path={path}
        scope={scope}
        level={level}
        onCycle={(id) => choose({ cycle: id })}
        onScope={(id) => choose({ scope: id })}
        onLevel={(l) => choose({ level: l })}
      />
      {body}
    </>
  );
}
