// The PDF reports' download links: a unit's scorecard and a region's ranking report, in the
// language the screen shows (Chinese unless it is English).
import type { TenantLevel } from "../gql/graphql";

/** The reports' language for the screen's: "en" for English, "zh" otherwise. */
export function reportLanguage(language: string): "zh" | "en" {
  return language.startsWith("en") ? "en" : "zh";
}

/** Where an assessment's scorecard PDF downloads from. */
export function scorecardPdfUrl(assessmentId: string, language: string): string {
  const params = new URLSearchParams({ lang: reportLanguage(language) });
  return `/files/assessments/${assessmentId}/scorecard.pdf?${params.toString()}`;
}

/** Where the ranking report of a cycle, region and level downloads from. */
export function rankingReportUrl(
  shown: { cycle: string; scope: string; level: TenantLevel },
  language: string,
): string {
  const params = new URLSearchParams({
    cycle: shown.cycle,
    scope: shown.scope,
    level: shown.level,
    lang: reportLanguage(language),
  });
  return `/files/rankings/report.pdf?${params.toString()}`;
}
