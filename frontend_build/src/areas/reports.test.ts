// Unit tests of the PDF reports' links: the language and the parameters, encoded.
import { describe, expect, it } from "vitest";
import { rankingReportUrl, reportLanguage, scorecardPdfUrl } from "./reports";

describe("reportLanguage", () => {
  it("is English for the English screen, Chinese otherwise", () => {
    expect(reportLanguage("en")).toBe("en");
    expect(reportLanguage("en-GB")).toBe("en");
    expect(reportLanguage("zh")).toBe("zh");
    expect(reportLanguage("zh-CN")).toBe("zh");
  });
});

describe("report links", () => {
  it("names the assessment and the language of the scorecard", () => {
    expect(scorecardPdfUrl("QXNzZXNzbWVudDoyMg==", "zh")).toBe(
      "/files/assessments/QXNzZXNzbWVudDoyMg==/scorecard.pdf?lang=zh",
    );
    expect(scorecardPdfUrl("QXNzZXNzbWVudDoyMg==", "en")).toBe(
      "/files/assessments/QXNzZXNzbWVudDoyMg==/scorecard.pdf?lang=en",
    );
  });
  it("gives the ranking report the cycle, region and level shown, ids encoded", () => {
    const url = new URL(
      rankingReportUrl({ cycle: "Q3ljbGU6Mw==", scope: "VGVuYW50OjEw", level: "TOWNSHIP" }, "en"),
      "http://localhost",
    );
    expect(url.pathname).toBe("/files/rankings/report.pdf");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cycle: "Q3ljbGU6Mw==",
      scope: "VGVuYW50OjEw",
      level: "TOWNSHIP",
      lang: "en",
    });
    expect(url.search).toContain("cycle=Q3ljbGU6Mw%3D%3D");
  });
});
