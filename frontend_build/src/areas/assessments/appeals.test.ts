// Appeals on the unit's form: the window, who may appeal now, state colours, fileAppeal's input.
import { describe, expect, it } from "vitest";
import { appealColor, appealWindow, canAppeal, fileAppealInput, waitingOn } from "./appeals";

const DUE = "2026-11-20T17:00:00+08:00";
const clerk = [{ role: "SUBMITTER", node: { id: "U1" } }];

describe("appealWindow", () => {
  it("is none without a deadline, open until it (included), closed after", () => {
    expect(appealWindow(null)).toBe("none");
    expect(appealWindow(undefined)).toBe("none");
    expect(appealWindow(DUE, new Date("2026-11-20T08:59:00Z"))).toBe("open");
    expect(appealWindow(DUE, new Date("2026-11-20T09:00:00Z"))).toBe("open");
    expect(appealWindow(DUE, new Date("2026-11-20T09:00:01Z"))).toBe("closed");
  });
});

describe("canAppeal", () => {
  const before = new Date("2026-11-15T00:00:00Z");
  it("lets the unit's submitter appeal a reviewed assessment while the window is open", () => {
    expect(canAppeal("REVIEWED", DUE, clerk, "U1", before)).toBe(true);
  });
  it("refuses after the deadline, without one, in another state, or for someone else", () => {
    expect(canAppeal("REVIEWED", DUE, clerk, "U1", new Date("2026-12-03T00:00:00Z"))).toBe(false);
    expect(canAppeal("REVIEWED", null, clerk, "U1", before)).toBe(false);
    expect(canAppeal("FINAL", DUE, clerk, "U1", before)).toBe(false);
    expect(canAppeal("SUBMITTED", DUE, clerk, "U1", before)).toBe(false);
    expect(canAppeal("REVIEWED", DUE, clerk, "U2", before)).toBe(false);
    expect(canAppeal("REVIEWED", DUE, [{ role: "ASSESSOR", node: { id: "U1" } }], "U1", before)).toBe(false);
  });
});

describe("waitingOn", () => {
  it("is true only for an OPEN appeal on that indicator", () => {
    const appeals = [
      { state: "REJECTED" as const, itemCode: "6.1" },
      { state: "OPEN" as const, itemCode: "2.1" },
    ];
    expect(waitingOn(appeals, "2.1")).toBe(true);
    expect(waitingOn(appeals, "6.1")).toBe(false);
    expect(waitingOn([], "6.1")).toBe(false);
  });
});

describe("appealColor and fileAppealInput", () => {
  it("colours waiting gold, accepted green, rejected red", () => {
    expect(appealColor("OPEN")).toBe("gold");
    expect(appealColor("ACCEPTED")).toBe("green");
    expect(appealColor("REJECTED")).toBe("red");
  });
  it("trims the reason", () => {
    expect(fileAppealInput("A1", "6.1", "  请予认定 \n")).toEqual({ assessmentId: "A1", itemCode: "6.1", reason: "请予认定" });
    expect(fileAppealInput("A1", "6.1", undefined)).toEqual({ assessmentId: "A1", itemCode: "6.1", reason: "" });
  });
});
