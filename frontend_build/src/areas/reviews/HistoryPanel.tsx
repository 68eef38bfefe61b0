// The assessment's audit history: who changed what, when, from what to what and why; paged.
import { Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { formatDate } from "../../format";
import { type ReviewHistoryQuery, ReviewHistoryDocument } from "../../gql/graphql";

type HistoryNode = Extract<NonNullable<ReviewHistoryQuery["node"]>, { history: unknown }>;
type Event = HistoryNode["history"]["edges"][number]["node"];

export function HistoryPanel({ assessmentId }: { assessmentId: string }) {
  const { t, i18n } = useTranslation();
  const paging = useCursorPaging(50);
  const query = useGql(ReviewHistoryDocument, { id: assessmentId, first: paging.first, after: paging.after });
  const node = query.data?.node;
  const history = node && "history" in node ? node.history : undefined;
  if (query.error) {
    return (
      <Typography.Text type="danger" role="alert">
        {describeFailure(query.error, t)}
      </Typography.Text>
    );
  }
  return (
    <Table<Event>
      size="small"
      rowKey={(e) => `${e.at}-${e.action}-${e.itemCode ?? ""}-${e.field ?? ""}-${e.new ?? ""}`}
      loading={query.isLoading}
      dataSource={history?.edges.map((e) => e.node) ?? []}
      pagination={paging.pagination(history?.totalCount, history?.pageInfo)}
      scroll={{ x: true }}
      columns={[
        { title: t("reviews.history.at"), dataIndex: "at", width: 170, render: (v: string) => formatDate(v, i18n.language) },
        {
          title: t("reviews.history.actor"),
          key: "actor",
          width: 160,
          render: (_, e) => e.actor?.displayName ?? <Typography.Text type="secondary">{t("reviews.history.system")}</Typography.Text>,
        },
        {
          title: t("reviews.history.action"),
          dataIndex: "action",
          width: 90,
          render: (v: string) => t(`reviews.history.actions.${v}`, { defaultValue: v }),
        },
        { title: t("reviews.history.item"), dataIndex: "itemCode", render: (v: string | null) => v ?? "—" },
        {
          title: t("reviews.history.change"),
          key: "change",
          render: (_, e) => {
            const field = e.field ? `${t(`reviews.history.fields.${e.field}`, { defaultValue: e.field })}: ` : "";
            return `${field}${e.old || "—"} → ${e.new || "—"}`;
          },
        },
        { title: t("reviews.history.reason"), dataIndex: "reason", render: (v: string | null) => v ?? "" },
      ]}
    />
  );
}
