import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { LedgerAccidentStatisticsQuery } from "../../gql/graphql";
import { accidentClassOf, accidentInput, hazardActions, moveTarget, pickerTime, rangeToPeriod, shortTime, signed, splitCodes, splitLines, timeOfDay, yearPeriod, yoyChartOption, yoyRows } from "./logic";
import { en, zh } from "./messages";

describe("accidentInput", () => {
  const base = {
    nodeId: "T1",
    occurredOn: dayjs("2026-11-20"),
    title: " 仓库火灾 ",
    sector: "FIRE" as const,
    deaths: 3,
    seriousInjuries: 1,
    directLoss: 1200000.5,
    reportStatus: "ON_TIME" as const,
    discoveredOn: dayjs("2026-11-25"),
  };

  it("turns the form's values into recordAccident's input", () => {
    expect(accidentInput(base)).toEqual({
      nodeId: "T1",
      occurredOn: "2026-11-20",
      occurredTime: null,
      title: "仓库火灾",
      sector: "FIRE",
      deaths: 3,
      seriousInjuries: 1,
      directLoss: "1200000.5",
      reportStatus: "ON_TIME",
      reportedAt: null,
      discoveredOn: null,
      description: "",
    });
  });

  it("sends the discovery day only for a concealed accident", () => {
    expect(accidentInput({ ...base, reportStatus: "CONCEALED" }).discoveredOn).toBe("2026-11-25");
  });

  it("sends the time of day to the minute, null when not given", () => {
    expect(accidentInput({ ...base, occurredTime: dayjs("2026-11-20T09:40:37") }).occurredTime).toBe("09:40:00");
    expect(accidentInput({ ...base, occurredTime: null }).occurredTime).toBeNull();
    expect(accidentInput(base).occurredTime).toBeNull();
  });
});

describe("time of day", () => {
  it("turns a picked time into the API's and back", () => {
    expect(timeOfDay(dayjs("2000-01-01T23:05"))).toBe("23:05:00");
    expect(timeOfDay(null)).toBeNull();
    expect(timeOfDay(undefined)).toBeNull();
    expect(pickerTime("2025-03-08", "09:40:00")?.format("YYYY-MM-DD HH:mm")).toBe("2025-03-08 09:40");
    expect(pickerTime("2025-03-08", null)).toBeNull();
  });

  it("shows the API's time to the minute, nothing when unknown", () => {
    expect(shortTime("09:40:00")).toBe("09:40");
    expect(shortTime(null)).toBeNull();
    expect(shortTime(undefined)).toBeNull();
  });
});

describe("accidentClassOf", () => {
  it("takes the highest class any measure reaches", () => {
    expect(accidentClassOf(2, 9, 9_999_999)).toBe("GENERAL");
    expect(accidentClassOf(3, 0, 0)).toBe("LARGER");
    expect(accidentClassOf(0, 10, 0)).toBe("LARGER");
    expect(accidentClassOf(0, 0, 50_000_000)).toBe("MAJOR");
    expect(accidentClassOf(30, 0, 0)).toBe("ESPECIALLY_SERIOUS");
  });
});

describe("periods", () => {
  it("covers a whole year", () => expect(yearPeriod(2026)).toEqual({ start: "2026-01-01", end: "2026-12-31" }));
  it("needs both ends of a range", () => {
    expect(rangeToPeriod([dayjs("2026-01-01"), null])).toBeNull();
    expect(rangeToPeriod([dayjs("2026-01-01"), dayjs("2026-10-31")])).toEqual({ start: "2026-01-01", end: "2026-10-31" });
  });
});

const yoy = (current: string, previous: string, percent: string | null) => ({
  current,
  previous,
  change: String(Number(current) - Number(previous)),
  percent,
});
const stats = {
  start: "2026-01-01",
  end: "2026-10-31",
  previousStart: "2025-01-01",
  previousEnd: "2025-10-31",
  unit: { id: "T", code: "330400", nameZh: "嘉兴市", nameEn: "Jiaxing", level: "CITY" },
  totals: { count: yoy("14", "18", "-22.2"), deaths: yoy("15", "17", "-11.8"), seriousInjuries: yoy("0", "0", null), directLoss: yoy("0", "0", null) },
  byClass: [
    { accidentClass: "GENERAL", count: yoy("13", "18", "-27.8"), deaths: yoy("12", "17", "-29.4") },
    { accidentClass: "LARGER", count: yoy("1", "0", null), deaths: yoy("3", "0", null) },
  ],
  byUnit: [],
} as unknown as LedgerAccidentStatisticsQuery["accidentStatistics"];

describe("year on year", () => {
  it("lists every class then the total", () => {
    const rows = yoyRows(stats);
    expect(rows.map((r) => r.label)).toEqual(["GENERAL", "LARGER", "TOTAL"]);
    expect(rows[2].count.percent).toBe("-22.2");
  });

  it("charts counts and deaths of both years per class", () => {
    const option = yoyChartOption(stats, (c) => c, { current: "本期", previous: "上年", count: "起数", deaths: "死亡" });
    expect(option.xAxis.data).toEqual(["GENERAL", "LARGER"]);
    expect(option.series.map((s) => s.data)).toEqual([[13, 1], [18, 0], [12, 3], [17, 0]]);
  });

  it("signs a change", () => {
    expect(signed("2")).toBe("+2");
    expect(signed("-4")).toBe("-4");
    expect(signed("0")).toBe("0");
  });
});

describe("hazardActions", () => {
  const keeper = { keep: true, supervise: false };
  const office = { keep: true, supervise: true };
  it("lets a keeper start and finish rectifying, a general hazard on the spot", () => {
    expect(hazardActions({ state: "OPEN", severity: "GENERAL", listed: false }, keeper)).toEqual(["RECTIFYING", "RECTIFIED"]);
    expect(hazardActions({ state: "OPEN", severity: "MAJOR", listed: false }, keeper)).toEqual(["RECTIFYING"]);
  });
  it("leaves the look-back, closing and listing to supervisors", () => {
    expect(hazardActions({ state: "RECTIFIED", severity: "GENERAL", listed: false }, keeper)).toEqual([]);
    expect(hazardActions({ state: "RECTIFIED", severity: "MAJOR", listed: true }, office)).toEqual(["VERIFIED", "BACK"]);
    expect(hazardActions({ state: "RECTIFYING", severity: "MAJOR", listed: false }, office)).toEqual(["RECTIFIED", "LIST"]);
    expect(hazardActions({ state: "VERIFIED", severity: "MAJOR", listed: true }, office)).toEqual(["CLOSED", "DELIST"]);
  });
  it("sends a failed look-back back to rectifying", () => {
    expect(moveTarget("BACK")).toBe("RECTIFYING");
    expect(moveTarget("LIST")).toBeNull();
  });
});

describe("splitting lists", () => {
  it("splits codes on commas, spaces and lines without repeats", () => {
    expect(splitCodes("330411, 330481\n330411")).toEqual(["330411", "330481"]);
  });
  it("takes one enterprise per line", () => {
    expect(splitLines("甲公司\n\n 乙公司 \n甲公司")).toEqual(["甲公司", "乙公司"]);
  });
});

function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("messages", () => {
  it("has the same words in English as in Chinese", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
});
