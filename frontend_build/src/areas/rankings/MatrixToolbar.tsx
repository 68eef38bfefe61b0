// The matrix's choices above the table: categories or indicators (one category of them), the
// order, search, and the total band, veto and above/below-average filters.
import { ClearOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Form, Input, Segmented, Select } from "antd";
import { useTranslation } from "react-i18next";
import type { Band, MatrixColumns, MatrixSort, RelativeToAverage } from "../../gql/graphql";
import { BAND_LOOKS, BANDS, clearFilters, hasFilters, type MatrixChoice } from "./matrix";

type Column = { code: string; title: string };

type Props = {
  choice: MatrixChoice;
  /** The matrix's columns now shown (to sort on or compare with their average). */
  columns: Column[];
  /** The template's categories (to open one in indicator columns). */
  categories: Column[];
  onChange: (next: Partial<MatrixChoice>) => void;
};

const TOTAL = "";

export function MatrixToolbar({ choice, columns, categories, onChange }: Props) {
  const { t } = useTranslation();
  const label = (column: Column) => `${column.code} ${column.title}`;
  const sortValue = choice.sort === "COLUMN" ? `COLUMN:${choice.sortColumn}` : choice.sort;
  const sortOptions = [
    ...(["RANK", "CODE", "NAME"] as const).map((by) => ({
      value: by,
      label: t(`rankings.matrix.sortBy.${by}`),
    })),
    ...columns.map((column) => ({ value: `COLUMN:${column.code}`, label: label(column) })),
  ];

  function sortBy(value: string) {
    if (value.startsWith("COLUMN:")) onChange({ sort: "COLUMN", sortColumn: value.slice(7) });
    else onChange({ sort: value as MatrixSort, sortColumn: null });
  }

  function compareWith(relative: RelativeToAverage | null) {
    // Against the sorted column's average when a column is sorted on, else the total's.
    const relativeColumn = relative
      ? (choice.relativeColumn ?? (choice.sort === "COLUMN" ? choice.sortColumn : null))
      : null;
    onChange({ relative, relativeColumn });
  }

  return (
    <Card size="small">
      <Form layout="inline" style={{ rowGap: 12 }}>
        <Form.Item label={t("rankings.matrix.columns")}>
          <Segmented<MatrixColumns>
            aria-label={t("rankings.matrix.columns")}
            value={choice.columns}
            options={[
              { value: "CATEGORY", label: t("rankings.matrix.byCategory") },
              { value: "INDICATOR", label: t("rankings.matrix.byIndicator") },
            ]}
            onChange={(columns) => onChange({ columns })}
          />
        </Form.Item>
        {choice.columns === "INDICATOR" && (
          <Form.Item label={t("rankings.matrix.category")} htmlFor="matrix-category">
            <Select
              id="matrix-category"
              style={{ minWidth: 200 }}
              allowClear
              placeholder={t("rankings.matrix.allCategories")}
              value={choice.category ?? undefined}
              options={categories.map((c) => ({ value: c.code, label: label(c) }))}
              onChange={(category?: string) =>
                onChange({
                  category: category ?? null,
                  sort: choice.sort === "COLUMN" ? "RANK" : choice.sort,
                  sortColumn: null,
                  relativeColumn: null,
                })
              }
            />
          </Form.Item>
        )}
        <Form.Item label={t("rankings.matrix.sort")} htmlFor="matrix-sort">
          <Select
            id="matrix-sort"
            style={{ minWidth: 180 }}
            value={sortValue}
            options={sortOptions}
            popupMatchSelectWidth={false}
            onChange={sortBy}
          />
        </Form.Item>
        <Form.Item>
          <Checkbox checked={choice.descending} onChange={(e) => onChange({ descending: e.target.checked })}>
            {t("rankings.matrix.descending")}
          </Checkbox>
        </Form.Item>
        <Form.Item label={t("rankings.matrix.search")} htmlFor="matrix-search">
          <Input.Search
            key={choice.search}
            id="matrix-search"
            style={{ width: 220 }}
            allowClear
            defaultValue={choice.search}
            placeholder={t("rankings.matrix.searchPlaceholder")}
            onSearch={(value) => onChange({ search: value.trim() })}
          />
        </Form.Item>
        <Form.Item label={t("rankings.matrix.bandFilter")}>
          <Checkbox.Group<Band>
            aria-label={t("rankings.matrix.bandFilter")}
            value={choice.bands}
            options={BANDS.map((band) => ({
              value: band,
              label: (
                <span className="matrix-swatch" style={BAND_LOOKS[band]}>
                  {t(`rankings.bands.${band}`)}
                </span>
              ),
            }))}
            onChange={(bands) => onChange({ bands })}
          />
        </Form.Item>
        <Form.Item label={t("rankings.matrix.vetoed")} htmlFor="matrix-vetoed">
          <Select
            id="matrix-vetoed"
            style={{ minWidth: 120 }}
            value={choice.vetoed === null ? "any" : choice.vetoed ? "yes" : "no"}
            options={[
              { value: "any", label: t("rankings.matrix.vetoedAny") },
              { value: "yes", label: t("rankings.matrix.vetoedOnly") },
              { value: "no", label: t("rankings.matrix.vetoedNone") },
            ]}
            onChange={(value: string) => onChange({ vetoed: value === "any" ? null : value === "yes" })}
          />
        </Form.Item>
        <Form.Item label={t("rankings.matrix.relative")} htmlFor="matrix-relative">
          <Select
            id="matrix-relative"
            style={{ minWidth: 130 }}
            value={choice.relative ?? "any"}
            options={[
              { value: "any", label: t("rankings.matrix.relativeAny") },
              { value: "ABOVE", label: t("rankings.matrix.relativeTo.ABOVE") },
              { value: "BELOW", label: t("rankings.matrix.relativeTo.BELOW") },
            ]}
            onChange={(value: string) => compareWith(value === "any" ? null : (value as RelativeToAverage))}
          />
        </Form.Item>
        {choice.relative && (
          <Form.Item label={t("rankings.matrix.relativeOf")} htmlFor="matrix-relative-of">
            <Select
              id="matrix-relative-of"
              style={{ minWidth: 160 }}
              popupMatchSelectWidth={false}
              value={choice.relativeColumn ?? TOTAL}
              options={[
                { value: TOTAL, label: t("rankings.matrix.total") },
                ...columns.map((column) => ({ value: column.code, label: label(column) })),
              ]}
              onChange={(value: string) => onChange({ relativeColumn: value === TOTAL ? null : value })}
            />
          </Form.Item>
        )}
        <Form.Item>
          <Button
            icon={<ClearOutlined />}
            disabled={!hasFilters(choice)}
            onClick={() => onChange(clearFilters(choice))}
          >
            {t("rankings.matrix.clear")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
