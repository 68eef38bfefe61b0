// Background job runs of the province: kind, state, progress, times, result and errors; an
// admin starts a full recompute, and the list refreshes every few seconds while one runs.
import { Alert, Button, Form, Popconfirm, Progress, Select, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeFailure, type UserError } from "../../api/errors";
import { useGql, useGqlMutation } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { hasRole, useViewer } from "../../auth/ViewerContext";
import { formatDate, formatNumber, unitName } from "../../format";
import { type JobKind, type JobRunListQuery, JobRunListDocument, type JobState, StartFullRecomputeDocument } from "../../gql/graphql";
import { type ResultLine, resultLines, shouldPoll } from "./logic";

const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });

type Run = JobRunListQuery["jobRuns"]["edges"][number]["node"];
const STATE_COLORS: Record<JobState, string> = { QUEUED: "default", RUNNING: "processing", SUCCEEDED: "success", FAILED: "error" };

export function JobRunsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useViewer();
  const paging = useCursorPaging(20);
  const [kind, setKind] = useState<JobKind | null>(null);
  const [justStarted, setJustStarted] = useState(false);
  const [problems, setProblems] = useState<readonly UserError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const start = useGqlMutation(StartFullRecomputeDocument);
  const [polling, setPolling] = useState(false);
  const query = useGql(
    JobRunListDocument,
    { kind, first: paging.first, after: paging.after },
    { refetchInterval: polling ? 3000 : false },
  );
  const states = query.data?.jobRuns.edges.map((e) => e.node.state) ?? [];
  const active = shouldPoll(states, justStarted);
  useEffect(() => setPolling(active), [active]);
  useEffect(() => {
    if (!justStarted) return;
    // The started run shows up in the next refetch; from then its state keeps the polling on.
    const timer = setTimeout(() => setJustStarted(false), 10_000);
    return () => clearTimeout(timer);
  }, [justStarted]);
  const connection = query.data?.jobRuns;

  /** A result line in the reader's language, its counts written as the language writes them. */
  function say(line: ResultLine): string {
    if ("raw" in line) return line.raw;
    const values = Object.fromEntries(
      Object.entries(line.values).map(([k, v]) => [k, typeof v === "number" ? formatNumber(v, i18n.language) : v]),
    );
    return t(`jobs.results.${line.words}`, values);
  }

  async function recompute() {
    setProblems([]);
    setFailure(null);
    try {
      const data = await start.mutateAsync({});
      setProblems(data.startFullRecompute.errors);
      if (data.startFullRecompute.jobRun) setJustStarted(true);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("jobs.title")}</Typography.Title>
        {hasRole(user, ["ADMIN"]) && (
          <Popconfirm
            title={t("jobs.confirmTitle")}
            description={t("jobs.confirmText")}
            okText={t("jobs.start")}
            cancelText={t("common.cancel")}
            onConfirm={recompute}
          >
            <Button type="primary" loading={start.isPending} disabled={start.isPending}>
              {t("jobs.start")}
            </Button>
          </Popconfirm>
        )}
      </div>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("jobs.kind")} htmlFor="job-kind">
          <Select id="job-kind" allowClear style={{ minWidth: 180 }} placeholder={t("common.all")} value={kind}
            onChange={(v: JobKind) => { setKind(v ?? null); paging.reset(); }}
            options={(["FULL_RECOMPUTE", "OVERDUE_SWEEP", "DEADLINE_REMINDERS", "REPORT"] as const).map((k) => ({ value: k, label: t(`jobs.kinds.${k}`) }))} />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon role="alert" title={describeFailure(failure, t)} style={{ marginBottom: 16 }} /> : null}
      {problems.length > 0 && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problems.map((p) => p.message).join("；")} />
      )}
      {query.error ? <Alert type="error" showIcon role="alert" title={describeFailure(query.error, t)} style={{ marginBottom: 16 }} /> : null}
      <Table<Run>
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("jobs.empty") }}
        columns={[
          { title: t("jobs.kind"), dataIndex: "kind", render: (k: JobKind) => t(`jobs.kinds.${k}`) },
          { title: t("common.state"), dataIndex: "state", render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{t(`jobs.states.${s}`)}</Tag> },
          {
            title: t("jobs.progress"),
            key: "progress",
            render: (_, r) => (
              <div style={{ minWidth: 120 }}>
                <Progress
                  percent={r.progress.percent ?? 0}
                  size="small"
                  status={r.state === "FAILED" ? "exception" : r.state === "RUNNING" ? "active" : undefined}
                  aria-label={t("jobs.progress")}
                />
                <Typography.Text type="secondary">
                  {r.progress.done} / {r.progress.total ?? "—"}
                </Typography.Text>
              </div>
            ),
          },
          { title: t("common.unit"), key: "unit", render: (_, r) => unitName(r.unit, i18n.language) },
          { title: t("jobs.requestedBy"), onCell: nowrap, key: "by", render: (_, r) => r.requestedBy?.username ?? t("jobs.schedule") },
          {
            title: t("jobs.times"),
            key: "times",
            onCell: nowrap,
            render: (_, r) => (
              <>
                <div>{t("jobs.queuedAt")} {formatDate(r.queuedAt, i18n.language)}</div>
                {r.startedAt && <div>{t("jobs.startedAt")} {formatDate(r.startedAt, i18n.language)}</div>}
                {r.finishedAt && <div>{t("jobs.finishedAt")} {formatDate(r.finishedAt, i18n.language)}</div>}
              </>
            ),
          },
          { title: t("jobs.attempts"), onHeaderCell: nowrap, dataIndex: "attempts", align: "right" },
          {
            title: t("jobs.result"),
            key: "result",
            render: (_, r) => (
              <div style={{ minWidth: 220, maxWidth: 360 }}>
                {resultLines(r.kind, r.result).map((line, index) => <div key={index}>{say(line)}</div>)}
                {r.report?.downloadUrl && (
                  <a href={r.report.downloadUrl} download={r.report.filename ?? ""}>
                    {r.report.filename ?? t("common.download")}
                  </a>
                )}
                {r.error && <Typography.Text type="danger">{r.error}</Typography.Text>}
              </div>
            ),
          },
        ]}
      />
    </>
  );
}
