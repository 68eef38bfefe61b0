// Appeals (申诉) of the unit's reviewed points: whether the cycle's window is open, who may file
// one on which indicator now, the colour of an appeal's state, and the fileAppeal input.
import type { AppealState, AssessmentState, FileAppealInput } from "../../gql/graphql";

export type AppealWindow = "none" | "open" | "closed";

/** "none": the cycle takes no appeals; "open": until appealDue (included); "closed": it has passed. */
export function appealWindow(appealDue: string | null | undefined, now: Date = new Date()): AppealWindow {
  if (!appealDue) return "none";
  const due = new Date(appealDue).getTime();
  if (Number.isNaN(due)) return "none";
  return now.getTime() <= due ? "open" : "closed";
}

type Grant = { role: string; node: { id: string } };

/** The server's rule: the unit's submitter, on a reviewed assessment, while the window is open. */
export function canAppeal(
  state: AssessmentState,
  appealDue: string | null | undefined,
  roles: readonly Grant[],
  unitId: string,
  now: Date = new Date(),
): boolean {
  return (
    state === "REVIEWED" &&
    appealWindow(appealDue, now) === "open" &&
    roles.some((grant) => grant.role === "SUBMITTER" && grant.node.id === unitId)
  );
}

/** Whether the indicator already has an appeal waiting (one at a time per indicator). */
export function waitingOn(appeals: readonly { state: AppealState; itemCode: string }[], itemCode: string): boolean {
  return appeals.some((appeal) => appeal.state === "OPEN" && appeal.itemCode === itemCode);
}

/** The antd tag colour of an appeal's state. */
export const APPEAL_COLORS: Record<AppealState, string> = {
  OPEN: "gold",
  ACCEPTED: "green",
  REJECTED: "red",
};

export function appealColor(state: AppealState): string {
  return APPEAL_COLORS[state] ?? "default";
}

export function fileAppealInput(assessmentId: string, itemCode: string, reason: string | null | undefined): FileAppealInput {
  return { assessmentId, itemCode, reason: (reason ?? "").trim() };
}
