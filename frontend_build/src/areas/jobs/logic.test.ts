import { describe, expect, it } from "vitest";
import { resultLines, shouldPoll, summarise } from "./logic";

describe("shouldPoll", () => {
  it("polls while a run is queued or running", () => {
    expect(shouldPoll(["SUCCEEDED", "RUNNING"], false)).toBe(true);
    expect(shouldPoll(["QUEUED"], false)).toBe(true);
  });
  it("stops when every run has finished, unless one was just started", () => {
    expect(shouldPoll(["SUCCEEDED", "FAILED"], false)).toBe(false);
    expect(shouldPoll([], true)).toBe(true);
  });
});

describe("summarise", () => {
  it("flattens a recompute's result", () => {
    expect(summarise({ assessments: 312, drifted: 2, drift: { self_total: 1 } })).toEqual([
      "assessments: 312",
      "drifted: 2",
      "drift.self_total: 1",
    ]);
  });
  it("says nothing for an empty result", () => {
    expect(summarise({})).toEqual([]);
    expect(summarise(null)).toEqual([]);
  });
});

describe("resultLines", () => {
  it("says a recompute's counts, drift only when there was some, never its resume point", () => {
    expect(
      resultLines("FULL_RECOMPUTE", {
        assessments: 33,
        drifted: 0,
        first_scored: 7,
        cycles: 2,
        drift: { self_total: 0, reviewed_total: 0, grade: 0, vetoed: 0 },
      }),
    ).toEqual([
      { words: "rescored", values: { n: 33 } },
      { words: "firstScored", values: { n: 7 } },
      { words: "noDrift", values: {} },
      { words: "published", values: { n: 2 } },
    ]);
    expect(
      resultLines("FULL_RECOMPUTE", {
        assessments: 40,
        drifted: 2,
        first_scored: 0,
        cycles: 0,
        drift: { self_total: 1, reviewed_total: 2, grade: 1, vetoed: 0 },
        resume_after: 812,
      }),
    ).toEqual([
      { words: "rescored", values: { n: 40 } },
      { words: "drifted", values: { n: 2, selfTotal: 1, reviewedTotal: 2, grade: 1, vetoed: 0 } },
    ]);
  });
  it("says a sweep's and the reminders' counts, and when there was no reminder to send", () => {
    expect(resultLines("OVERDUE_SWEEP", { hazards_overdue: 2, tasks_overdue: 0, units: 1 })).toEqual([
      { words: "hazardsOverdue", values: { n: 2 } },
      { words: "tasksOverdue", values: { n: 0 } },
      { words: "unitsNotified", values: { n: 1 } },
    ]);
    expect(resultLines("DEADLINE_REMINDERS", { self_assessment_due: 3, review_due: 0, hazard_due: 1, task_due: 0, self_assessment_overdue: 0 })).toEqual([
      { words: "reminders.self_assessment_due", values: { n: 3 } },
      { words: "reminders.hazard_due", values: { n: 1 } },
    ]);
    expect(resultLines("DEADLINE_REMINDERS", { self_assessment_due: 0, review_due: 0, hazard_due: 0, task_due: 0, self_assessment_overdue: 0 })).toEqual([
      { words: "noReminders", values: {} },
    ]);
  });
  it("gives a report's size, not its checksum", () => {
    expect(resultLines("REPORT", { sha256: "e8c76ce9", bytes: 36045, filename: "a.pdf" })).toEqual([
      { words: "reportSize", values: { size: "35.2 KB" } },
    ]);
  });
  it("shows what it has no words for as it is", () => {
    expect(resultLines("OVERDUE_SWEEP", { hazards_overdue: 1, statements_overdue: 4 })).toEqual([
      { words: "hazardsOverdue", values: { n: 1 } },
      { raw: "statements_overdue: 4" },
    ]);
    expect(resultLines("REPORT", null)).toEqual([]);
  });
});
