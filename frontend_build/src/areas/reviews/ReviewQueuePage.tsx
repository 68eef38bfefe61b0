// The review queue: assessments by state (waiting for review, resubmitted, to finalise...), a
// cycle and late flags, paged on the server; each row opens the review screen.
import { Button, Card, Checkbox, Form, Radio, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { describeFailure } from "../../api/errors";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { useViewer } from "../../auth/ViewerContext";
import { CycleSelect } from "../../components/CycleSelect";
import { formatDate, formatPoints, unitName } from "../../format";
import {
  type AssessmentState,
  type ReviewQueueQuery,
  ReviewCycleCountsDocument,
  ReviewQueueDocument,
} from "../../gql/graphql";
import { canFinalise, canReview, UNDER_REVIEW } from "./logic";
import { GapText, StateTag } from "./tags";

type Row = ReviewQueueQuery["assessments"]["edges"][number]["node"];

const STATES: (AssessmentState | "ALL")[] = [
  "SUBMITTED",
  "RESUBMITTED",
  "REVIEWED",
  "RETURNED",
  "FINAL",
  "ALL",
];

export function ReviewQueuePage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { user } = useViewer();
  const [params, setParams] = useSearchParams();
  const state = (params.get("state") ?? "SUBMITTED") as AssessmentState | "ALL";
  const cycleId = params.get("cycle");
  const late = params.get("late") === "1";
  const paging = useCursorPaging(20);

  const query = useGql(ReviewQueueDocument, {
    filter: {
      state: state === "ALL" ? null : state,
      cycleId: cycleId ?? null,
      late: late ? true : null,
    },
    first: paging.first,
    after: paging.after,
  });
  const counts = useGql(ReviewCycleCountsDocument, { id: cycleId ?? "" }, { enabled: !!cycleId });
  const countNode = counts.data?.node;
  const stateCounts = countNode && "stateCounts" in countNode ? countNode.stateCounts : [];

  function change(key: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
    paging.reset();
  }

  function countOf(s: AssessmentState | "ALL"): string {
    if (!cycleId || stateCounts.length === 0) return "";
    const n =
      s === "ALL"
        ? stateCounts.reduce((sum, c) => sum + c.count, 0)
        : (stateCounts.find((c) => c.state === s)?.count ?? 0);
    return ` (${n})`;
  }

  const columns: ColumnsType<Row> = [
    {
      title: t("reviews.queue.unit"),
      key: "unit",
      render: (_, row) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{unitName(row.unit, language)}</Typography.Text>
          <Typography.Text type="secondary">
            {row.unit.code} · {t(`levels.${row.unit.level}`)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t("reviews.queue.cycle"), key: "cycle", render: (_, row) => row.cycle.name },
    {
      title: t("common.state"),
      key: "state",
      render: (_, row) => <StateTag state={row.state} />,
    },
    {
      title: t("reviews.queue.submittedAt"),
      key: "submittedAt",
      render: (_, row) => formatDate(row.submittedAt, language),
    },
    {
      title: t("reviews.queue.selfTotal"),
      key: "self",
      align: "right",
      render: (_, row) => formatPoints(row.selfTotal, language),
    },
    {
      title: t("reviews.queue.reviewedTotal"),
      key: "reviewed",
      align: "right",
      render: (_, row) => formatPoints(row.reviewedTotal, language),
    },
    {
      title: t("reviews.queue.gap"),
      key: "gap",
      align: "right",
      render: (_, row) => <GapText gap={row.gap} />,
    },
    {
      title: t("reviews.queue.flags"),
      key: "flags",
      render: (_, row) => (
        <Space size={4} wrap>
          {row.late && <Tag color="orange">{t("reviews.flags.late")}</Tag>}
          {row.reviewLate && <Tag color="orange">{t("reviews.flags.reviewLate")}</Tag>}
          {row.vetoed && <Tag color="red">{t("reviews.flags.vetoed")}</Tag>}
        </Space>
      ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      fixed: "right",
      render: (_, row) => <RowAction row={row} user={user} />,
    },
  ];

  const data = query.data?.assessments;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t("reviews.queue.title")}
        </Typography.Title>
        <Typography.Text type="secondary">{t("reviews.queue.intro")}</Typography.Text>
      </div>
      <Card size="small">
        <Form layout="vertical">
          <Space wrap size="large" align="end">
            <Form.Item label={t("common.cycle")} htmlFor="reviews-cycle" style={{ marginBottom: 0 }}>
              <Space>
                <CycleSelect
                  id="reviews-cycle"
                  value={cycleId}
                  onChange={(id) => change("cycle", id)}
                />
                {cycleId && (
                  <Button onClick={() => change("cycle", null)}>{t("reviews.queue.clearCycle")}</Button>
                )}
              </Space>
            </Form.Item>
            <Form.Item label={t("reviews.queue.state")} style={{ marginBottom: 0 }}>
              <Radio.Group
                aria-label={t("reviews.queue.state")}
                optionType="button"
                value={state}
                onChange={(e) => change("state", e.target.value as string)}
                options={STATES.map((s) => ({
                  value: s,
                  label: `${s === "ALL" ? t("reviews.stateFilter.ALL") : t(`reviews.states.${s}`)}${countOf(s)}`,
                }))}
              />
            </Form.Item>
            <Form.Item style={{ marginBottom: 0 }}>
              <Checkbox checked={late} onChange={(e) => change("late", e.target.checked ? "1" : null)}>
                {t("reviews.queue.lateOnly")}
              </Checkbox>
            </Form.Item>
          </Space>
        </Form>
      </Card>
      {query.error && (
        <Typography.Text type="danger" role="alert">
          {describeFailure(query.error, t)}
        </Typography.Text>
      )}
      <Table<Row>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.edges.map((e) => e.node) ?? []}
        loading={query.isLoading || query.isFetching}
        scroll={{ x: true }}
        locale={{ emptyText: t("reviews.queue.empty") }}
        pagination={paging.pagination(data?.totalCount, data?.pageInfo)}
      />
    </Space>
  );
}

function RowAction({ row, user }: { row: Row; user: ReturnType<typeof useViewer>["user"] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const to = `/reviews/${encodeURIComponent(row.id)}`;
  if (UNDER_REVIEW.includes(row.state) && canReview(user, row.unit)) {
    return (
      <Button type="primary" size="small" onClick={() => navigate(to)}>
        {t("reviews.queue.open")}
      </Button>
    );
  }
  if (row.state === "REVIEWED" && canFinalise(user, row.cycle.owner)) {
    return (
      <Button type="primary" size="small" onClick={() => navigate(to)}>
        {t("reviews.queue.finalise")}
      </Button>
    );
  }
  return (
    <Space size={4}>
      <Link to={to}>{t("reviews.queue.view")}</Link>
      {user?.node.id === row.unit.id && (
        <Typography.Text type="secondary">{t("reviews.queue.readOnly")}</Typography.Text>
      )}
    </Space>
  );
}
