// The PDF reports' print button, without React: the report language of the screen's, what the
// button shows for a report it follows (asking, printing with progress, ready, failed), how
// often to poll it, and when to start the download.
import type { JobState, ReportLanguage } from "../gql/graphql";

/** The reports' language for the screen's: EN for English, ZH otherwise. */
export function reportLanguage(language: string): ReportLanguage {
  return language.startsWith("en") ? "EN" : "ZH";
}

/** What the button follows of a report: its file once printed, and its job run. */
export type FollowedReport = {
  id: string;
  downloadUrl?: string | null;
  filename?: string | null;
  jobRun?: {
    state: JobState;
    progress: { done: number; total?: number | null; percent?: number | null };
    error?: string | null;
  } | null;
};

export type PrintPhase =
  | { phase: "idle" }
  | { phase: "asking" }
  | { phase: "printing"; queued: boolean; done: number; total: number | null; percent: number | null }
  | { phase: "ready"; id: string; url: string; filename: string | null }
  | { phase: "failed"; error: string | null };

/**
 * Where the printing stands: nothing asked; the print mutation under way (or its report not read
 * yet); queued or running with its progress; printed with the link; or failed with the reason.
 */
export function printPhase(asking: boolean, report: FollowedReport | null | undefined): PrintPhase {
  if (asking) return { phase: "asking" };
  if (!report) return { phase: "idle" };
  const run = report.jobRun;
  if (run?.state === "FAILED") return { phase: "failed", error: run.error ?? null };
  if (report.downloadUrl && (!run || run.state === "SUCCEEDED")) {
    return { phase: "ready", id: report.id, url: report.downloadUrl, filename: report.filename ?? null };
  }
  return {
    phase: "printing",
    queued: !run || run.state === "QUEUED",
    done: run?.progress.done ?? 0,
    total: run?.progress.total ?? null,
    percent: run?.progress.percent ?? null,
  };
}

/** Whether a followed report is still on its way (keep polling). */
export function stillPrinting(report: FollowedReport | null | undefined): boolean {
  if (!report) return true;
  const phase = printPhase(false, report).phase;
  return phase === "printing";
}

/** The poll interval for a followed report: every `ms` until it is printed or has failed. */
export function pollInterval(report: FollowedReport | null | undefined, ms = 1000): number | false {
  return stillPrinting(report) ? ms : false;
}

/** Start the download once per report: when it is ready and not the one last downloaded. */
export function shouldDownload(phase: PrintPhase, downloaded: string | null): boolean {
  return phase.phase === "ready" && phase.id !== downloaded;
}

/** The progress as shown beside the button: "1 / 3 · 33%", "0 / 3", or null while uncounted. */
export function progressText(phase: PrintPhase): string | null {
  if (phase.phase !== "printing" || phase.total == null) return null;
  const percent = phase.percent ?? (phase.total > 0 ? Math.floor((phase.done * 100) / phase.total) : 0);
  return `${phase.done} / ${phase.total} · ${percent}%`;
}
