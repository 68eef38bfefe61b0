// The button that prints a PDF report in the background: it asks for the report (scorecard,
// ranking, consequences register or statistics, in the screen's language), shows the job's progress while polling the
// report every second, starts the download once it is printed and keeps a link to download it
// again; a failed run says why, a refused request shows its errors.
import { FilePdfOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Button, Space, Typography } from "antd";
import type { ButtonProps } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserError } from "../api/errors";
import { operationName, useGql, useGqlMutation } from "../api/hooks";
import {
  type FollowedReportFragment,
  PrintConsequenceRegisterDocument,
  PrintRankingReportDocument,
  PrintReportProgressDocument,
  type PrintReportProgressQuery,
  PrintScorecardDocument,
  PrintStatisticsReportDocument,
  type TenantLevel,
} from "../gql/graphql";
import { PayloadErrors } from "./PayloadErrors";
import { pollInterval, printPhase, progressText, reportLanguage, shouldDownload } from "./printReport";

/** What to print: an assessment's scorecard, a region's ranking, a cycle's consequences register
 * for a region, a subtree's statistics. */
export type PrintRequest =
  | { kind: "SCORECARD"; assessmentId: string }
  | { kind: "RANKING"; cycleId: string; scopeId: string; level: TenantLevel; compareWithVersion?: number }
  | { kind: "CONSEQUENCES"; cycleId: string; scopeId: string }
  | { kind: "STATISTICS"; nodeId: string; period: { start: string; end: string } };

type Props = {
  request: PrintRequest;
  /** The button's words, e.g. "打印评分表（PDF）". */
  label: string;
  size?: ButtonProps["size"];
  type?: ButtonProps["type"];
  disabled?: boolean;
  /** Words for the API fields a refusal may name (e.g. period). */
  labels?: Record<string, string>;
};

type Asked = { key: string; reportId: string | null; errors: readonly UserError[]; failure: unknown };

function reportOf(data: PrintReportProgressQuery | undefined): FollowedReportFragment | null {
  const node = data?.node;
  return node && node.__typename === "Report" ? node : null;
}

/** Start a download of a URL the server sends as an attachment, without leaving the page. */
function download(url: string, filename: string | null) {
  const link = document.createElement("a");
  link.href = url;
  link.download = filename ?? "";
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function PrintReportButton({ request, label, size, type, disabled, labels }: Props) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const key = JSON.stringify(request);
  const [asked, setAsked] = useState<Asked>({ key, reportId: null, errors: [], failure: null });
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const scorecard = useGqlMutation(PrintScorecardDocument, { invalidate: false });
  const ranking = useGqlMutation(PrintRankingReportDocument, { invalidate: false });
  const consequences = useGqlMutation(PrintConsequenceRegisterDocument, { invalidate: false });
  const statistics = useGqlMutation(PrintStatisticsReportDocument, { invalidate: false });
  // Another subject (a different cycle chosen, say) starts afresh.
  const current = asked.key === key ? asked : { key, reportId: null, errors: [], failure: null };
  const reportId = current.reportId;
  const progress = useGql(
    PrintReportProgressDocument,
    { id: reportId ?? "" },
    {
      enabled: reportId !== null,
      refetchInterval: (query) => pollInterval(reportOf(query.state.data)),
      refetchIntervalInBackground: true,
    },
  );
  const asking = scorecard.isPending || ranking.isPending || consequences.isPending || statistics.isPending;
  const phase = printPhase(asking, reportId ? reportOf(progress.data) : null);

  useEffect(() => {
    if (phase.phase === "ready" && shouldDownload(phase, downloaded)) {
      setDownloaded(phase.id);
      download(phase.url, phase.filename);
    }
  }, [phase, downloaded]);

  async function print() {
    const language = reportLanguage(i18n.language);
    setAsked({ key, reportId: null, errors: [], failure: null });
    try {
      let payload;
      if (request.kind === "SCORECARD") {
        payload = (await scorecard.mutateAsync({ input: { assessmentId: request.assessmentId, language } })).printScorecard;
      } else if (request.kind === "RANKING") {
        const { cycleId, scopeId, level, compareWithVersion } = request;
        const input = { cycleId, scopeId, level, language, compareWithVersion };
        payload = (await ranking.mutateAsync({ input })).printRankingReport;
      } else if (request.kind === "CONSEQUENCES") {
        const { cycleId, scopeId } = request;
        payload = (await consequences.mutateAsync({ input: { cycleId, scopeId, language } }))
          .printConsequenceRegister;
      } else {
        const { nodeId, period } = request;
        payload = (await statistics.mutateAsync({ input: { nodeId, period, language } })).printStatisticsReport;
      }
      const report = payload.report;
      if (report) {
        // Show what the answer already says; the poll takes it from there.
        client.setQueryData([operationName(PrintReportProgressDocument as never), { id: report.id }], {
          node: { __typename: "Report", ...report },
        });
      }
      setAsked({ key, reportId: report?.id ?? null, errors: payload.errors, failure: null });
    } catch (error) {
      setAsked({ key, reportId: null, errors: [], failure: error });
    }
  }

  const busy = phase.phase === "asking" || phase.phase === "printing";
  let status = null;
  if (phase.phase === "printing") {
    const text = progressText(phase);
    status = (
      <Typography.Text type="secondary">
        {phase.queued && !text ? t("printReport.queued") : `${t("printReport.printing")}${text ? ` ${text}` : "…"}`}
      </Typography.Text>
    );
  } else if (phase.phase === "ready") {
    status = (
      <Space size={8}>
        <Typography.Text type="success">{t("printReport.ready")}</Typography.Text>
        <a href={phase.url} download={phase.filename ?? ""}>
          {t("printReport.downloadAgain")}
        </a>
      </Space>
    );
  } else if (phase.phase === "failed") {
    status = (
      <Typography.Text type="danger">
        {t("printReport.failed")}
        {phase.error ? `：${phase.error}` : ""}
      </Typography.Text>
    );
  }
  const refused = current.errors.length > 0 || current.failure || progress.error;

  return (
    <span className="print-report">
      <Space size={8} wrap>
        <Button size={size} type={type} icon={<FilePdfOutlined />} loading={busy} disabled={disabled || busy} onClick={print}>
          {label}
        </Button>
        <span role="status" aria-live="polite">
          {status}
        </span>
      </Space>
      {refused ? (
        <div className="print-report-errors">
          <PayloadErrors errors={current.errors} failure={current.failure || progress.error} labels={labels} />
        </div>
      ) : null}
    </span>
  );
}
