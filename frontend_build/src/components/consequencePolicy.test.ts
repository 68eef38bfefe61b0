// Unit tests of a consequence policy in words: the triggers in order, the one-line sentence.
import { describe, expect, it } from "vitest";
import { en, zh } from "../i18n/common";
import type { Messages } from "../areas/area";
import { policySentence, triggerList } from "./consequencePolicy";

/** A translator over the real words, filling {{placeholders}}. */
function translator(messages: Messages) {
  return (key: string, options: Record<string, unknown> = {}) => {
    let found: unknown = messages;
    for (const part of key.split(".")) found = (found as Messages)[part];
    if (typeof found !== "string") throw new Error(`no words for ${key}`);
    return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  };
}

describe("triggerList", () => {
  it("names the triggers in their usual order, whatever order they come in", () => {
    expect(triggerList(["OVERDUE_MAJOR_HAZARDS", "VETO"], translator(zh))).toBe("一票否决、重大隐患逾期未整改");
    expect(triggerList(["UNQUALIFIED", "YELLOW_CARD"], translator(en))).toBe("yellow card, unqualified");
  });

  it("says none for no trigger", () => {
    expect(triggerList([], translator(zh))).toBe("无");
  });
});

describe("policySentence", () => {
  it("states a quota, the triggers and the bar in one line", () => {
    const sentence = policySentence(
      {
        commendationQuota: 2,
        criticiseOn: ["VETO", "UNQUALIFIED"],
        interviewOn: ["YELLOW_CARD", "VETO", "OVERDUE_MAJOR_HAZARDS"],
        ineligibleMonths: 12,
        retroactiveYears: 0,
      },
      translator(zh),
    );
    expect(sentence).toBe(
      "表扬名额 2 个；通报批评：一票否决、考核不合格；约谈：一票否决、黄牌警告、重大隐患逾期未整改；" +
        "一票否决单位主要负责人 12 个月内不得评优评先、提拔",
    );
  });

  it("says every excellent unit without a quota, and no bar at 0 months", () => {
    const sentence = policySentence(
      { commendationQuota: null, criticiseOn: [], interviewOn: ["VETO"], ineligibleMonths: 0, retroactiveYears: 0 },
      translator(en),
    );
    expect(sentence).toBe(
      "commendation quota: every eligible excellent unit; criticised for: nothing; " +
        "leaders interviewed for: one-ticket veto; a veto bars no one from commendation or promotion",
    );
  });

  it("says for how many years a late veto may reopen a final result, when it may", () => {
    const policy = {
      commendationQuota: 3,
      criticiseOn: ["VETO" as const],
      interviewOn: [],
      ineligibleMonths: 12,
      retroactiveYears: 3,
    };
    expect(policySentence(policy, translator(zh))).toBe(
      "表扬名额 3 个；通报批评：一票否决；约谈：无；一票否决单位主要负责人 12 个月内不得评优评先、提拔；" +
        "期满 3 年内查实的瞒报事故可追溯否决",
    );
    expect(policySentence(policy, translator(en))).toMatch(
      /; a concealed accident found within 3 years after the period may still veto a final result$/,
    );
  });
});
