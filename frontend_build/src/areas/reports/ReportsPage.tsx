// The reports the user may fetch, newest first: kind, the unit it is about (a ranking's level, a
// statistics period), language, when and by whom it was asked for, the printing's state and
// progress, size, the letterhead version and the download; it refreshes while one prints.
import { DownloadOutlined } from "@ant-design/icons";
import { Form, Progress, Select, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useGql } from "../../api/hooks";
import { useCursorPaging } from "../../api/paging";
import { PayloadErrors } from "../../components/PayloadErrors";
import { formatDate, formatSize, unitName } from "../../format";
import { type JobState, type ReportKind, type ReportRowFragment, ReportsListDocument } from "../../gql/graphql";
import { anyPrinting } from "./logic";

const KINDS: ReportKind[] = ["SCORECARD", "RANKING", "STATISTICS"];
const STATE_COLORS: Record<JobState, string> = { QUEUED: "default", RUNNING: "processing", SUCCEEDED: "success", FAILED: "error" };
const nowrap = () => ({ style: { whiteSpace: "nowrap" as const } });

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const paging = useCursorPaging(20);
  const [kind, setKind] = useState<ReportKind | null>(null);
  const query = useGql(
    ReportsListDocument,
    { kind, first: paging.first, after: paging.after },
    { refetchInterval: (q) => (anyPrinting(q.state.data?.reports.edges.map((e) => e.node) ?? []) ? 2000 : false) },
  );
  const connection = query.data?.reports;
  const language = i18n.language;

  function subject(r: ReportRowFragment) {
    if (r.kind === "RANKING" && r.level) return t("reports.rankingOf", { level: t(`levels.${r.level}`) });
    if (r.kind === "STATISTICS" && r.periodStart && r.periodEnd) {
      return t("reports.period", { start: formatDate(r.periodStart, language), end: formatDate(r.periodEnd, language) });
    }
    return null;
  }

  function state(r: ReportRowFragment) {
    const run = r.jobRun;
    const s: JobState = run?.state ?? (r.downloadUrl ? "SUCCEEDED" : "QUEUED");
    return (
      <div style={{ minWidth: 110 }}>
        <Tag color={STATE_COLORS[s]}>{t(`reports.states.${s}`)}</Tag>
        {run && (s === "RUNNING" || s === "QUEUED") && (
          <Progress percent={run.progress.percent ?? 0} size="small" status="active" aria-label={t("reports.states.RUNNING")} />
        )}
        {run?.error && (
          <div>
            <Typography.Text type="danger">{run.error}</Typography.Text>
          </div>
        )}
      </div>
    );
  }

  return (
    <>
      <div className="page-head">
        <Typography.Title level={3}>{t("reports.title")}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t("reports.intro")}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t("reports.kind")} htmlFor="report-kind">
          <Select
            id="report-kind"
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t("common.all")}
            value={kind}
            onChange={(v: ReportKind | undefined) => {
              setKind(v ?? null);
              paging.reset();
            }}
            options={KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
          />
        </Form.Item>
      </Form>
      <PayloadErrors failure={query.error} />
      <Table<ReportRowFragment>
        className="nowrap-head"
        rowKey="id"
        size="middle"
        loading={query.isLoading}
        dataSource={connection?.edges.map((e) => e.node) ?? []}
        scroll={{ x: true }}
        pagination={paging.pagination(connection?.totalCount, connection?.pageInfo)}
        locale={{ emptyText: t("reports.empty") }}
        columns={[
          { title: t("reports.kind"), key: "kind", render: (_, r) => t(`reports.kinds.${r.kind}`) },
          {
            title: t("reports.subject"),
            key: "subject",
            onCell: () => ({ style: { minWidth: 160 } }),
            render: (_, r) => (
              <>
                <div>{unitName(r.unit, language)}</div>
                {subject(r) && <Typography.Text type="secondary">{subject(r)}</Typography.Text>}
              </>
            ),
          },
          { title: t("reports.language"), key: "language", onCell: nowrap, render: (_, r) => t(`reports.languages.${r.language}`) },
          { title: t("reports.requestedAt"), key: "requestedAt", onCell: nowrap, render: (_, r) => formatDate(r.requestedAt, language) },
          { title: t("reports.requestedBy"), key: "requestedBy", render: (_, r) => r.requestedBy?.displayName ?? "—" },
          { title: t("common.state"), key: "state", render: (_, r) => state(r) },
          { title: t("reports.size"), key: "size", align: "right", onCell: nowrap, render: (_, r) => formatSize(r.size) },
          {
            title: t("reports.letterhead"),
            key: "letterhead",
            onCell: nowrap,
            render: (_, r) =>
              r.printedAt == null
                ? "—"
                : r.letterheadVersion == null
                  ? t("reports.defaultLetterhead")
                  : t("reports.letterheadVersion", { version: r.letterheadVersion }),
          },
          {
            title: t("reports.file"),
            key: "file",
            onCell: nowrap,
            render: (_, r) =>
              r.downloadUrl ? (
                <a href={r.downloadUrl} download={r.filename ?? ""} title={r.filename ?? undefined}>
                  <DownloadOutlined /> {t("common.download")}
                </a>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </>
  );
}
