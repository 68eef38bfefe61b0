// Compare units (/rankings/compare?cycles=…&units=…&scope=…&level=…): pick 2-6 units of one
// region and 1-6 cycles; per category and over cycles. The choice stays in the URL to share.
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Form, Select, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useViewer } from "../../auth/ViewerContext";
import { unitName } from "../../format";
import {
  CycleOptionsDocument,
  RankingComparisonDocument,
  RankingScopeDocument,
  UnitOptionsDocument,
} from "../../gql/graphql";
import { CompareResults } from "./CompareResults";
import { canCompare, compareSearch, MAX_COMPARED_CYCLES, MAX_COMPARED_UNITS, parseCompare } from "./ranking";

export function ComparePage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const navigate = useNavigate();
  const { user } = useViewer();
  const [search, setSearch] = useSearchParams();
  const choice = parseCompare(search);

  const cyclesQuery = useGql(CycleOptionsDocument, { first: 100 });
  const cycles = [...(cyclesQuery.data?.cycles.edges.map((e) => e.node) ?? [])].reverse();
  const firstCycle = cycles.find((c) => c.id === choice.cycles[0]);
  const level = choice.level ?? firstCycle?.level ?? null;
  const scopeId = choice.scope ?? user?.node.id ?? null;
  const scopeQuery = useGql(RankingScopeDocument, { id: scopeId ?? "" }, { enabled: !!scopeId });
  const scopeNode = scopeQuery.data?.node;
  const scope = scopeNode?.__typename === "Tenant" ? scopeNode : undefined;
  const unitsQuery = useGql(
    UnitOptionsDocument,
    { filter: { subtreeOf: scopeId, level }, first: 500 },
    { enabled: !!scopeId && !!level },
  );
  const units = unitsQuery.data?.tenants.edges.map((e) => e.node) ?? [];

  const ready = canCompare(choice.units.length, choice.cycles.length);
  const comparison = useGql(
    RankingComparisonDocument,
    { cycles: choice.cycles, units: choice.units },
    { enabled: ready },
  );

  function update(next: Partial<typeof choice>) {
    setSearch(compareSearch({ ...choice, ...next }), { replace: true });
  }

  // Back to the dashboard on the newest cycle compared, in the same region and level.
  const back = new URLSearchParams();
  if (choice.cycles.length) back.set("cycle", choice.cycles[choice.cycles.length - 1]);
  if (choice.scope) back.set("scope", choice.scope);
  if (choice.level) back.set("level", choice.level);
  const backQuery = back.toString();
  const backTo = backQuery ? `/rankings?${backQuery}` : "/rankings";

  const unitHelp =
    choice.units.length < 2
      ? t("rankings.compare.pickMore")
      : t("rankings.compare.picked", { count: choice.units.length, max: MAX_COMPARED_UNITS });

  return (
    <>
      <div className="page-head">
        <Typography.Title level={2}>{t("rankings.compare.title")}</Typography.Title>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(backTo)}>
          {t("common.back")}
        </Button>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical">
          <Form.Item label={t("rankings.compare.scope")}>
            <Typography.Text strong>
              {scope ? `${unitName(scope, language)}${level ? ` · ${t(`levels.${level}`)}` : ""}` : "—"}
            </Typography.Text>
          </Form.Item>
          <Form.Item
            label={t("rankings.compare.cycles")}
            htmlFor="compare-cycles"
            help={t("rankings.compare.cyclesHelp", { max: MAX_COMPARED_CYCLES })}
          >
            <Select
              id="compare-cycles"
              mode="multiple"
              maxCount={MAX_COMPARED_CYCLES}
              loading={cyclesQuery.isLoading}
              value={choice.cycles}
              placeholder={t("rankings.compare.cycles")}
              options={cycles
                .filter((c) => !level || c.level === level || choice.cycles.includes(c.id))
                .map((c) => ({ value: c.id, label: c.name }))}
              onChange={(ids: string[]) => update({ cycles: ids })}
            />
          </Form.Item>
          <Form.Item label={t("rankings.compare.units")} htmlFor="compare-units" help={unitHelp}>
            <Select
              id="compare-units"
              mode="multiple"
              maxCount={MAX_COMPARED_UNITS}
              disabled={!level}
              loading={unitsQuery.isLoading}
              value={choice.units}
              placeholder={level ? t("rankings.compare.units") : t("rankings.compare.cycleFirst")}
              showSearch={{ optionFilterProp: "search" }}
              options={units.map((unit) => ({
                value: unit.id,
                label: `${unitName(unit, language)} (${unit.code})`,
                search: `${unit.nameZh} ${unit.nameEn} ${unit.code}`,
              }))}
              onChange={(ids: string[]) => update({ units: ids })}
            />
          </Form.Item>
        </Form>
      </Card>
      {!ready ? (
        <Empty description={t("rankings.compare.choose")} />
      ) : comparison.error ? (
        <Alert
          type="error"
          showIcon
          title={describeFailure(comparison.error, t)}
          action={<Button onClick={() => void comparison.refetch()}>{t("errors.reload")}</Button>}
        />
      ) : !comparison.data ? (
        <Spin tip={t("common.loading")}>
          <div style={{ minHeight: 200 }} />
        </Spin>
      ) : (
        <CompareResults comparison={comparison.data.compare} />
      )}
    </>
  );
}
