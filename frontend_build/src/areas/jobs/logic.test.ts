import { describe, expect, it } from "vitest";
import { shouldPoll, summarise } from "./logic";

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
