// The leaders' dashboard (/rankings): choose a cycle, a region and a level; the published
// ranking, its figures, charts and lists follow. The choice lives in the URL to share it.
import { BarChartOutlined, TableOutlined } from "@ant-design/icons";
import { Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { useGql } from "../../api/hooks";
import { CycleRankingStatusDocument, type TenantLevel } from "../../gql/graphql";
import { PrintReportButton } from "../../components/PrintReportButton";
import { DashboardFilters } from "./DashboardFilters";
import { chosenGroup, parseDashboard, parseGroup } from "./ranking";
import { RankingResults } from "./RankingResults";
import { useRankingChoice } from "./useRankingChoice";

export function DashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const choice = parseDashboard(search);
  const { cycles, cycle, base, scope, path, level, blocker } = useRankingChoice(choice);
  // The cycle's assessment groups (分类考核): its own level's ranking can be narrowed to one.
  const status = useGql(CycleRankingStatusDocument, { cycle: cycle?.id ?? "" }, { enabled: !!cycle });
  const statusNode = status.data?.node;
  const groups = statusNode?.__typename === "Cycle" && statusNode.id === cycle?.id ? statusNode.groups : [];
  const ownLevel = Boolean(cycle && level === cycle.level);
  const group = chosenGroup(parseGroup(search), groups, level, cycle?.level);

  function choose(next: { cycle?: string; scope?: string; level?: TenantLevel; group?: string | null }) {
    const params = new URLSearchParams();
    const cycleId = next.cycle ?? cycle?.id;
    if (cycleId) params.set("cycle", cycleId);
    const keepScope = next.cycle === undefined;
    const nextScope = next.scope ?? (keepScope ? choice.scope : null);
    if (nextScope && nextScope !== base) params.set("scope", nextScope);
    if (next.level && keepScope) params.set("level", next.level);
    else if (next.group !== undefined && choice.level) params.set("level", choice.level);
    // The group stays over another region, not over another cycle or level.
    const nextGroup = next.group !== undefined ? next.group : keepScope && !next.level ? group : null;
    if (nextGroup) params.set("group", nextGroup);
    // The tab shown (the consequences register) stays open over another choice.
    const tab = search.get("tab");
    if (tab) params.set("tab", tab);
    setSearch(params);
  }

  /** The matrix of the same cycle, region and level. */
  function openMatrix() {
    const params = new URLSearchParams();
    if (cycle) params.set("cycle", cycle.id);
    if (scope) params.set("scope", scope.id);
    if (level) params.set("level", level);
    navigate(`/rankings/matrix?${params.toString()}`);
  }

  const body =
    blocker ??
    (cycle && scope && level && (
      <RankingResults
        key={`${cycle.id}|${scope.id}|${level}|${group ?? ""}`}
        cycle={cycle}
        group={group}
        cycles={cycles}
        scope={scope}
        level={level}
      />
    ));

  return (
    <>
      <div className="page-head">
        <Typography.Title level={2}>{t("rankings.title")}</Typography.Title>
        <Space wrap>
          <Button icon={<TableOutlined />} onClick={openMatrix}>
            {t("rankings.matrix.title")}
          </Button>
          {cycle && scope && level && !blocker && (
            <PrintReportButton
              request={{ kind: "RANKING", cycleId: cycle.id, scopeId: scope.id, level }}
              label={t("rankings.reportPdf")}
            />
          )}
          <Button icon={<BarChartOutlined />} onClick={() => navigate("/rankings/compare")}>
            {t("rankings.compare.title")}
          </Button>
        </Space>
      </div>
      <DashboardFilters
        cycle={cycle}
        path={path}
        scope={scope}
        level={level}
        onCycle={(id) => choose({ cycle: id })}
        onScope={(id) => choose({ scope: id })}
        onLevel={(l) => choose({ level: l })}
        groups={ownLevel ? groups : []}
        group={group}
        onGroup={(g) => choose({ group: g })}
      />
      {body}
    </>
  );
}
