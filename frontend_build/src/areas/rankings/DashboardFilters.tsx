// The dashboard's choices: the cycle, the region whose units are ranked (with a way back up
// and a drill into a sub-region), the level ranked and, when the cycle's units are assessed in
// groups (分类考核), the group shown (all of them, one after the other, by default).
import { Breadcrumb, Button, Card, Form, Select } from "antd";
import { useTranslation } from "react-i18next";
import { CycleSelect, type CycleOption } from "../../components/CycleSelect";
import { UnitSelect } from "../../components/UnitSelect";
import { unitName } from "../../format";
import type { TenantLevel, UnitRefFragment } from "../../gql/graphql";
import { drillLevel, rankableLevels } from "./ranking";

type Props = {
  cycle: CycleOption | undefined;
  /** The regions from the default scope down to the chosen one. */
  path: UnitRefFragment[];
  scope: UnitRefFragment | undefined;
  level: TenantLevel | undefined;
  onCycle: (id: string) => void;
  onScope: (id: string) => void;
  onLevel: (level: TenantLevel) => void;
  /** The cycle's assessment groups when its own level is ranked (none: no group filter). */
  groups?: readonly { code: string; name: string }[];
  /** The group shown; null: every group. */
  group?: string | null;
  onGroup?: (group: string | null) => void;
};

const ALL_GROUPS = "";

export function DashboardFilters({
  cycle,
  path,
  scope,
  level,
  onCycle,
  onScope,
  onLevel,
  groups = [],
  group = null,
  onGroup,
}: Props) {
  const { t, i18n } = useTranslation();
  const drill = scope && cycle ? drillLevel(scope.level, cycle.level) : null;
  const levels = scope && cycle ? rankableLevels(scope.level, cycle.level) : [];
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Form layout="inline" style={{ rowGap: 12 }}>
        <Form.Item label={t("common.cycle")} htmlFor="rankings-cycle">
          <CycleSelect
            id="rankings-cycle"
            style={{ minWidth: 320 }}
            value={cycle?.id}
            onChange={(id) => onCycle(id)}
          />
        </Form.Item>
        {scope && (
          <Form.Item label={t("rankings.filters.scope")}>
            <Breadcrumb
              aria-label={t("rankings.filters.scope")}
              items={path.map((unit, i) => ({
                key: unit.id,
                title:
                  i < path.length - 1 ? (
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0, height: "auto" }}
                      onClick={() => onScope(unit.id)}
                    >
                      {unitName(unit, i18n.language)}
                    </Button>
                  ) : (
                    <strong>{unitName(unit, i18n.language)}</strong>
                  ),
              }))}
            />
          </Form.Item>
        )}
        {scope && drill && (
          <Form.Item label={t("rankings.filters.drill")} htmlFor="rankings-drill">
            <UnitSelect
              id="rankings-drill"
              filter={{ parentId: scope.id, level: drill }}
              placeholder={t("rankings.filters.drillPlaceholder", { level: t(`levels.${drill}`) })}
              value={null}
              onChange={(id) => onScope(id)}
            />
          </Form.Item>
        )}
        {scope && (
          <Form.Item label={t("rankings.filters.level")} htmlFor="rankings-level">
            <Select
              id="rankings-level"
              style={{ minWidth: 140 }}
              value={level}
              disabled={levels.length < 2}
              options={levels.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
              onChange={(value: TenantLevel) => onLevel(value)}
            />
          </Form.Item>
        )}
        {scope && groups.length > 0 && (
          <Form.Item label={t("rankings.filters.group")} htmlFor="rankings-group" tooltip={t("rankings.filters.groupHint")}>
            <Select
              id="rankings-group"
              style={{ minWidth: 160 }}
              value={group ?? ALL_GROUPS}
              options={[
                { value: ALL_GROUPS, label: t("rankings.filters.allGroups") },
                ...groups.map((g) => ({ value: g.code, label: g.name })),
              ]}
              onChange={(value: string) => onGroup?.(value || null)}
            />
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
