// Spot-check draws' pure rules: the units an assessor may draw under in a cycle, the draw form's
// values as drawSpotChecks' input, and how a target's weight is worded.
import type { DrawSpotChecksInput, Role, TenantKind } from "../../gql/graphql";

type Unit = { id: string; code: string; nameZh: string; nameEn: string };
type Grant = { role: Role; node: Unit };
type Owner = Unit & { ancestors?: readonly { id: string }[] | null };

/** The units the viewer may draw under: for each assessor grant, the cycle's owner when the grant
 * is on it or above it, else the grant's unit itself (the server refuses one outside the cycle). */
export function drawScopes(roles: readonly Grant[] | null | undefined, owner: Owner | null | undefined): Unit[] {
  if (!roles || !owner) return [];
  const above = new Set([owner.id, ...(owner.ancestors ?? []).map((a) => a.id)]);
  const found = new Map<string, Unit>();
  for (const grant of roles) {
    if (grant.role !== "ASSESSOR") continue;
    const unit = above.has(grant.node.id) ? owner : grant.node;
    found.set(unit.id, unit);
  }
  return [...found.values()];
}

export type DrawValues = {
  scopeId?: string | null;
  seed?: string | null;
  /** "total": targetCount units of every kind; "strata": a count per kind. */
  mode: "total" | "strata";
  targetCount?: number | null;
  strata?: ({ kind?: TenantKind | null; count?: number | null } | null | undefined)[];
  inspectorIds?: string[];
  inspectorsPerTarget?: number | null;
  criticisedWeight?: number | string | null;
};

/** The form's values as drawSpotChecks' input: a blank seed is left to the server (it makes one),
 * strata rows without a kind are dropped, the weight is a plain decimal string. */
export function drawInput(cycleId: string, values: DrawValues): DrawSpotChecksInput {
  const seed = values.seed?.trim();
  const input: DrawSpotChecksInput = {
    cycleId,
    inspectorIds: values.inspectorIds ?? [],
    inspectorsPerTarget: values.inspectorsPerTarget ?? 1,
    criticisedWeight: values.criticisedWeight == null || values.criticisedWeight === "" ? "2" : String(values.criticisedWeight),
  };
  if (values.scopeId) input.scopeId = values.scopeId;
  if (seed) input.seed = seed;
  if (values.mode === "total") {
    input.targetCount = values.targetCount ?? null;
  } else {
    input.strata = (values.strata ?? [])
      .filter((row): row is { kind: TenantKind; count?: number | null } => !!row?.kind)
      .map((row) => ({ kind: row.kind, count: row.count ?? 0 }));
  }
  return input;
}

/** A decimal string without trailing zeros ("2.00" -> "2", "1.50" -> "1.5"). */
export function plainWeight(weight: string): string {
  return weight.includes(".") ? weight.replace(/0+$/, "").replace(/\.$/, "") : weight;
}

/** Whether a target weighed more for being criticised in the previous cycle. */
export function weighsMore(target: { weight: string; criticisedIn?: string | null }): boolean {
  return !!target.criticisedIn && Number(target.weight) > 1;
}
