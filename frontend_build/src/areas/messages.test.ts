// Every area's words and the common words: the same keys in Chinese and English, and every literal key an area's screens ask for exists.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as common from "../i18n/common";
import type { Messages } from "./area";
import { areas } from "./index";

function keys(messages: Messages, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

/** The static keys of an area its own files ask for: t("cycles.xxx"). */
function used(area: string): string[] {
  const folder = join(dirname(fileURLToPath(import.meta.url)), area);
  const found = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => /\.tsx?$/.test(f) && !f.includes(".test."))) {
    const text = readFileSync(join(folder, file), "utf8");
    for (const match of text.matchAll(new RegExp(`t\\("${area}\\.([\\w.]+)"`, "g"))) found.add(match[1]);
  }
  return [...found];
}

describe("the common words", () => {
  it("has the same keys in Chinese and English", () => {
    expect(keys(common.en).sort()).toEqual(keys(common.zh).sort());
  });
});

describe.each(areas.map((area) => [area.key, area] as const))("the %s area's words", (key, area) => {
  it("has the same keys in Chinese and English", () => {
    expect(keys(area.messages.en).sort()).toEqual(keys(area.messages.zh).sort());
  });

  it("has every key its screens use", () => {
    const known = new Set(keys(area.messages.zh));
    expect(used(key).filter((k) => !known.has(k))).toEqual([]);
  });
});
