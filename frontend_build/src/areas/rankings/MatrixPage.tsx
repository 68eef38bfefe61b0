// The leaders' scorecard matrix (/rankings/matrix): the dashboard's cycle, region and level, then
// units by categories or indicators, banded; every choice (order, search, filters) in the URL,
// and the same matrix as an Excel workbook.
import { DownloadOutlined, TrophyOutlined } from "@ant-design/icons";
import { Button, Space, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import type { TenantLevel } from "../../gql/graphql";
import { DashboardFilters } from "./DashboardFilters";
import {
  changeMatrix,
  type MatrixChoice,
  matrixExportUrl,
  matrixSearch,
  nextDrillLevel,
  parseMatrix,
} from "./matrix";
import { MatrixResults } from "./MatrixResults";
import { drillLevel } from "./ranking";
import { useRankingChoice } from "./useRankingChoice";

export function MatrixPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const choice = parseMatrix(params);
  const { cycle, scope, path, level, blocker } = useRankingChoice(choice);

  function update(next: Partial<MatrixChoice>) {
    // From the address bar as it is now: a change made a moment ago (a search, then at once a
    // drill) may not have rendered yet, and must not be lost.
    const current = parseMatrix(new URLSearchParams(window.location.search));
    setParams(matrixSearch(changeMatrix(current, next)));
  }

  /** Show a region's units of the next level down, keeping the order and filters. */
  function open(unit: { id: string; level: TenantLevel }) {
    if (!cycle) return;
    update({ scope: unit.id, level: nextDrillLevel(unit.level, cycle.level) });
  }

  /** A breadcrumb step up, or a region picked to drill into (one level below the scope). */
  function openScope(id: string) {
    const known = path.find((unit) => unit.id === id);
    const unitLevel = known?.level ?? (scope && cycle ? drillLevel(scope.level, cycle.level) : null);
    if (unitLevel) open({ id, level: unitLevel });
  }

  function toDashboard() {
    const back = new URLSearchParams();
    if (cycle) back.set("cycle", cycle.id);
    if (scope) back.set("scope", scope.id);
    if (level) back.set("level", level);
    navigate(`/rankings?${back.toString()}`);
  }

  return (
    <>
      <div className="page-head">
        <Typography.Title level={2}>{t("rankings.matrix.title")}</Typography.Title>
        <Space wrap>
          {cycle && scope && level && (
            <Tooltip title={t("rankings.matrix.exportHint")}>
              <Button
                icon={<DownloadOutlined />}
                href={matrixExportUrl(choice, { cycle: cycle.id, scope: scope.id, level })}
                download
              >
                {t("rankings.matrix.export")}
              </Button>
            </Tooltip>
          )}
          <Button icon={<TrophyOutlined />} onClick={toDashboard}>
            {t("rankings.matrix.dashboard")}
          </Button>
        </Space>
      </div>
      <DashboardFilters
        cycle={cycle}
        path={path}
        scope={scope}
        level={level}
        onCycle={(id) => update({ cycle: id })}
        onScope={openScope}
        onLevel={(l) => update({ level: l })}
      />
      {blocker ??
        (cycle && scope && level && (
          <MatrixResults
            key={`${cycle.id}|${scope.id}|${level}`}
            choice={choice}
            cycle={cycle}
            scope={scope}
            level={level}
            onChange={update}
            onOpen={open}
          />
        ))}
    </>
  );
}
