// The cycle, region and level a rankings screen shows, resolved from its URL choice (the
// defaults filled in), and what to show instead while they load or when they cannot be read.
import { Alert, Empty, Spin } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import type { CycleOption } from "../../components/CycleSelect";
import {
  CycleOptionsDocument,
  RankingScopeDocument,
  type TenantLevel,
  type UnitRefFragment,
} from "../../gql/graphql";
import { type DashboardChoice, defaultScope, rankableLevels } from "./ranking";

export type RankingChoice = {
  cycles: CycleOption[];
  cycle: CycleOption | undefined;
  /** The region ranked by default (the user's or the cycle owner's). */
  base: string | null;
  scope: UnitRefFragment | undefined;
  /** The regions from the default scope down to the chosen one. */
  path: UnitRefFragment[];
  levels: TenantLevel[];
  level: TenantLevel | undefined;
  /** An alert, a spinner or an empty state while the choice cannot be shown; null once it can. */
  blocker: ReactNode;
};

export function useRankingChoice(choice: DashboardChoice): RankingChoice {
  const { t } = useTranslation();
  const { user } = useViewer();
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

  const failure = cyclesQuery.error ?? scopeQuery.error;
  let blocker: ReactNode = null;
  if (failure) {
    blocker = <Alert type="error" showIcon title={describeFailure(failure, t)} />;
  } else if (cyclesQuery.isLoading || (scopeId && scopeQuery.isLoading)) {
    blocker = (
      <Spin tip={t("common.loading")}>
        <div style={{ minHeight: 200 }} />
      </Spin>
    );
  } else if (cycles.length === 0) {
    blocker = <Empty description={t("rankings.noCycles")} />;
  } else if (!cycle) {
    blocker = <Alert type="warning" showIcon title={t("rankings.unknownCycle")} />;
  } else if (!scope || !level) {
    blocker = <Alert type="warning" showIcon title={t("rankings.unknownScope")} />;
  }
  return { cycles, cycle, base, scope, path, levels, level, blocker };
}
