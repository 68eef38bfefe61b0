// Units whose code starts with, or whose name contains, what was searched, a page at a time
// (the page is keyed by the search, so a new search starts at page one).
import { Alert, Button, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { unitName } from "../../format";
import { type UnitsSearchQuery, UnitsSearchDocument } from "../../gql/graphql";

type Row = UnitsSearchQuery["tenants"]["edges"][number]["node"];

export function UnitSearchResults({ search, onSelect }: { search: string; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const paging = useCursorPaging(20);
  const query = useGql(UnitsSearchDocument, { filter: { search }, first: paging.first, after: paging.after });
  const rows = query.data?.tenants.edges.map((e) => e.node) ?? [];

  const columns: ColumnsType<Row> = [
    {
      title: t("common.name"),
      key: "name",
      render: (_, row) => (
        <Button type="link" style={{ padding: 0, height: "auto" }} onClick={() => onSelect(row.id)}>
          {unitName(row, lang)}
        </Button>
      ),
    },
    { title: t("common.code"), dataIndex: "code" },
    {
      title: t("common.level"),
      dataIndex: "level",
      onCell: () => ({ style: { whiteSpace: "nowrap" } }),
      render: (v) => t(`levels.${v}`),
    },
    {
      title: t("units.detail.parent"),
      key: "parent",
      render: (_, row) => <Typography.Text type="secondary">{unitName(row.parent, lang)}</Typography.Text>,
    },
  ];

  return (
    <>
      {query.error && <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} />}
      <Table<Row>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={query.isFetching}
        scroll={{ x: true }}
        locale={{ emptyText: t("units.noneFound") }}
        pagination={paging.pagination(query.data?.tenants.totalCount, query.data?.tenants.pageInfo)}
      />
    </>
  );
}
