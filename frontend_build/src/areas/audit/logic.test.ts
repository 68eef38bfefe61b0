import { describe, expect, it } from "vitest";
import { auditFilter, formatMoment, nextDay, prettyDetails, suggestActions } from "./logic";

describe("auditFilter", () => {
  it("is null when nothing is chosen", () => {
    expect(auditFilter({})).toBeNull();
    expect(auditFilter({ action: "  ", nodeId: null })).toBeNull();
  });

  it("takes both days whole, in China time", () => {
    expect(auditFilter({ from: "2026-12-01", to: "2026-12-31" })).toEqual({
      since: "2026-12-01T00:00:00",
      until: "2027-01-01T00:00:00",
    });
  });

  it("trims the action and keeps the unit", () => {
    expect(auditFilter({ nodeId: "VGVuYW50OjI1", action: " createUser " })).toEqual({
      nodeId: "VGVuYW50OjI1",
      action: "createUser",
    });
  });
});

describe("nextDay", () => {
  it("crosses months and leap days", () => {
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
  });
});

describe("prettyDetails", () => {
  it("indents JSON", () => {
    expect(prettyDetails('{"a": 1, "b": {"c": [1, 2]}}')).toBe('{\n  "a": 1,\n  "b": {\n    "c": [\n      1,\n      2\n    ]\n  }\n}');
  });
  it("keeps other text", () => {
    expect(prettyDetails("not json")).toBe("not json");
    expect(prettyDetails("")).toBe("");
  });
});

describe("formatMoment", () => {
  it("shows seconds in the given zone", () => {
    expect(formatMoment("2026-12-04T16:43:00+00:00", "zh", "Asia/Shanghai")).toBe("2026/12/05 00:43:00");
    expect(formatMoment("2026-12-04T16:43:00+00:00", "en", "UTC")).toBe("04/12/2026, 16:43:00");
  });
});

describe("suggestActions", () => {
  it("matches any part, any case", () => {
    expect(suggestActions("signin")).toEqual(["signIn", "signInFailed", "signInThrottled"]);
    expect(suggestActions("")).toContain("createUser");
  });
});
