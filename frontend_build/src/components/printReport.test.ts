// Unit tests of the print button's rules: the language, the phases of a followed report, the
// polling and the one download per report.
import { describe, expect, it } from "vitest";
import { type FollowedReport, pollInterval, printPhase, progressText, reportLanguage, shouldDownload } from "./printReport";

const run = (state: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED", done = 0, total: number | null = 3, error: string | null = null) => ({
  state,
  progress: { done, total, percent: total ? Math.floor((done * 100) / total) : null },
  error,
});
const report = (over: Partial<FollowedReport> = {}): FollowedReport => ({ id: "UmVwb3J0OjE=", downloadUrl: null, filename: null, jobRun: run("QUEUED"), ...over });

describe("reportLanguage", () => {
  it("is English for the English screen, Chinese otherwise", () => {
    expect(reportLanguage("en")).toBe("EN");
    expect(reportLanguage("en-GB")).toBe("EN");
    expect(reportLanguage("zh")).toBe("ZH");
    expect(reportLanguage("zh-CN")).toBe("ZH");
  });
});

describe("printPhase", () => {
  it("is idle before anything is asked, asking while the mutation runs", () => {
    expect(printPhase(false, null)).toEqual({ phase: "idle" });
    expect(printPhase(true, null)).toEqual({ phase: "asking" });
    expect(printPhase(true, report({ downloadUrl: "/files/reports/1", jobRun: run("SUCCEEDED", 3) }))).toEqual({ phase: "asking" });
  });
  it("follows the job run: queued, then running with its progress", () => {
    expect(printPhase(false, report())).toEqual({ phase: "printing", queued: true, done: 0, total: 3, percent: 0 });
    expect(printPhase(false, report({ jobRun: run("RUNNING", 1) }))).toEqual({ phase: "printing", queued: false, done: 1, total: 3, percent: 33 });
    expect(printPhase(false, report({ jobRun: null }))).toMatchObject({ phase: "printing", queued: true, total: null });
  });
  it("is ready with the link once printed", () => {
    expect(
      printPhase(false, report({ downloadUrl: "/files/reports/UmVwb3J0OjE=", filename: "scorecard.pdf", jobRun: run("SUCCEEDED", 3) })),
    ).toEqual({ phase: "ready", id: "UmVwb3J0OjE=", url: "/files/reports/UmVwb3J0OjE=", filename: "scorecard.pdf" });
    // A kept report whose run is no longer in sight is still a printed report.
    expect(printPhase(false, report({ downloadUrl: "/files/reports/1", jobRun: null })).phase).toBe("ready");
  });
  it("keeps waiting when the run succeeded but the link is not there yet", () => {
    expect(printPhase(false, report({ jobRun: run("SUCCEEDED", 3) })).phase).toBe("printing");
  });
  it("fails with the run's reason", () => {
    expect(printPhase(false, report({ jobRun: run("FAILED", 1, 3, "the ranking is not published") }))).toEqual({
      phase: "failed",
      error: "the ranking is not published",
    });
    expect(printPhase(false, report({ jobRun: { ...run("FAILED"), error: undefined } }))).toEqual({ phase: "failed", error: null });
  });
});

describe("pollInterval", () => {
  it("polls every second until printed or failed", () => {
    expect(pollInterval(undefined)).toBe(1000);
    expect(pollInterval(report())).toBe(1000);
    expect(pollInterval(report({ jobRun: run("RUNNING", 2) }), 500)).toBe(500);
    expect(pollInterval(report({ downloadUrl: "/x", jobRun: run("SUCCEEDED", 3) }))).toBe(false);
    expect(pollInterval(report({ jobRun: run("FAILED") }))).toBe(false);
  });
});

describe("shouldDownload", () => {
  const ready = printPhase(false, report({ downloadUrl: "/files/reports/UmVwb3J0OjE=", jobRun: run("SUCCEEDED", 3) }));
  it("downloads a printed report once", () => {
    expect(shouldDownload(ready, null)).toBe(true);
    expect(shouldDownload(ready, "UmVwb3J0OjE=")).toBe(false);
    expect(shouldDownload(ready, "UmVwb3J0OjA=")).toBe(true);
  });
  it("does not download what is not printed", () => {
    expect(shouldDownload(printPhase(false, report()), null)).toBe(false);
    expect(shouldDownload({ phase: "failed", error: null }, null)).toBe(false);
  });
});

describe("progressText", () => {
  it("shows the steps done and the percent", () => {
    expect(progressText(printPhase(false, report({ jobRun: run("RUNNING", 1) })))).toBe("1 / 3 · 33%");
    expect(progressText(printPhase(false, report()))).toBe("0 / 3 · 0%");
  });
  it("works the percent out when the server has none, and says nothing uncounted", () => {
    expect(progressText({ phase: "printing", queued: false, done: 2, total: 3, percent: null })).toBe("2 / 3 · 66%");
    expect(progressText({ phase: "printing", queued: true, done: 0, total: null, percent: null })).toBeNull();
    expect(progressText({ phase: "idle" })).toBeNull();
  });
});
