// Pick a unit: the children of a unit (or the user's own subtree at a level), as a searchable list.
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { useGql } from "../api/hooks";
import { unitName } from "../format";
import { type TenantFilter, type UnitOptionsQuery, UnitOptionsDocument } from "../gql/graphql";

export type UnitOption = UnitOptionsQuery["tenants"]["edges"][number]["node"];

type Props = {
  filter: TenantFilter;
  value?: string | null;
  onChange: (id: string, unit: UnitOption) => void;
  id?: string;
  placeholder?: string;
  /** The accessible name; without it (and without an id) the placeholder serves. A Form.Item's label names a select it passes an id to. */
  ariaLabel?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
};

export function UnitSelect({ filter, value, onChange, id, placeholder, ariaLabel, allowClear, style }: Props) {
  const { t, i18n } = useTranslation();
  const query = useGql(UnitOptionsDocument, { filter, first: 500 });
  const units = query.data?.tenants.edges.map((e) => e.node) ?? [];
  return (
    <Select
      id={id}
      showSearch={{ optionFilterProp: "search" }}
      allowClear={allowClear}
      style={{ minWidth: 220, ...style }}
      aria-label={ariaLabel ?? (id ? undefined : (placeholder ?? t("common.unit")))}
      placeholder={placeholder ?? t("common.unit")}
      loading={query.isLoading}
      value={value ?? undefined}
      options={units.map((unit) => ({
        value: unit.id,
        label: `${unitName(unit, i18n.language)} (${unit.code})`,
        search: `${unit.nameZh} ${unit.nameEn} ${unit.code}`,
      }))}
      onChange={(id: string) => onChange(id, units.find((u) => u.id === id)!)}
    />
  );
}
