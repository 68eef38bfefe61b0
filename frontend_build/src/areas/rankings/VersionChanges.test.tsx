// The version changes as a reader sees them: the two versions compared, a vetoed unit's fall with
// the veto's rule, reason and evidence and its commendation withdrawn, a unit moved by it, and
// the words when nothing changed.
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RankingVersionChangesQuery } from "../../gql/graphql";
import { setLanguage } from "../../i18n";
import { ChangesList } from "./VersionChanges";

type Changes = RankingVersionChangesQuery["rankingChanges"];

const v1 = { version: 1, computedAt: "2026-02-10T01:00:00+00:00", provisional: false, rowsKept: true };
const v2 = { version: 2, computedAt: "2026-07-20T02:00:00+00:00", provisional: false, rowsKept: true };

const jiashan: Changes["changes"][number] = {
  unit: { code: "330421", nameZh: "嘉善县", nameEn: "Jiashan", level: "COUNTY" },
  before: { rank: 1, of: 7, score: "93.56", grade: "EXCELLENT", vetoed: false },
  after: { rank: 6, of: 7, score: "93.56", grade: "UNQUALIFIED", vetoed: true },
  rankChange: -5,
  scoreChange: "0.00",
  vetoesAdded: [{ rule: "V2", title: "Concealed accident", reason: "a death not reported", evidence: "inquiry report" }],
  vetoesRemoved: [],
  yellowCardsAdded: [],
  yellowCardsRemoved: [],
  commendationWithdrawn: true,
  commendationGranted: false,
};

const pinghu: Changes["changes"][number] = {
  ...jiashan,
  unit: { code: "330482", nameZh: "平湖市", nameEn: "Pinghu", level: "COUNTY" },
  before: { rank: 2, of: 7, score: "82.68", grade: "GOOD", vetoed: false },
  after: { rank: 1, of: 7, score: "82.68", grade: "GOOD", vetoed: false },
  rankChange: 1,
  vetoesAdded: [],
  commendationWithdrawn: false,
};

beforeAll(() => setLanguage("en"));
afterEach(cleanup);

describe("ChangesList", () => {
  it("lists the vetoed unit first with its why, then the unit it moved", () => {
    render(<ChangesList data={{ from: v1, to: v2, changes: [pinghu, jiashan] }} loading={false} />);
    const region = screen.getByRole("region", { name: "Changes from version 1 to version 2" });
    expect(region.textContent).toContain("Version 1 (final,");
    expect(region.textContent).toContain("Units changed: 2; commendations to withdraw: 1");
    const rows = within(region).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0].textContent)).toEqual([
      "JiashanCommendation withdrawn",
      "Pinghu",
    ]);
    expect(rows[0].textContent).toContain("#1 → #6");
    expect(within(rows[0]).getByLabelText("down 5")).toBeTruthy();
    expect(rows[0].textContent).toContain("Veto added");
    expect(rows[0].textContent).toContain("V2 Concealed accident");
    expect(rows[0].textContent).toContain("a death not reported");
    expect(rows[0].textContent).toContain("Evidence: inquiry report");
    expect(within(rows[1]).getByLabelText("up 1")).toBeTruthy();
    expect(rows[1].textContent).toContain("it moved because other units did");
  });

  it("says when nothing changed", () => {
    render(<ChangesList data={{ from: v1, to: v2, changes: [] }} loading={false} />);
    expect(screen.getByRole("alert").textContent).toContain("Nothing changed between the two versions");
    expect(screen.queryByRole("table")).toBeNull();
  });
});
