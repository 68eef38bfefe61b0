// Pick an assessment cycle among those the user can see (newest first).
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { useGql } from "../api/hooks";
import { type CycleOptionsQuery, CycleOptionsDocument } from "../gql/graphql";

export type CycleOption = CycleOptionsQuery["cycles"]["edges"][number]["node"];

type Props = {
  value?: string | null;
  onChange: (id: string, cycle: CycleOption) => void;
  id?: string;
  style?: React.CSSProperties;
};

export function CycleSelect({ value, onChange, id, style }: Props) {
  const { t } = useTranslation();
  const query = useGql(CycleOptionsDocument, { first: 100 });
  const cycles = [...(query.data?.cycles.edges.map((e) => e.node) ?? [])].reverse();
  return (
    <Select
      id={id}
      style={{ minWidth: 260, ...style }}
      aria-label={t("common.cycle")}
      loading={query.isLoading}
      value={value ?? undefined}
      placeholder={t("common.cycle")}
      options={cycles.map((cycle) => ({ value: cycle.id, label: cycle.name }))}
      onChange={(id: string) => onChange(id, cycles.find((c) => c.id === id)!)}
    />
  );
}
