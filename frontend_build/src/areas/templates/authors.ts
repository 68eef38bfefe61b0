// Which units the signed-in user writes templates for: a province (new families, imports) or
// a city (local templates extending the province's).
import type { SignedInUser } from "../../auth/ViewerContext";
import type { TenantLevel, UnitRefFragment } from "../../gql/graphql";

export function authorUnit(user: SignedInUser | null, level: TenantLevel): UnitRefFragment | null {
  const grant = user?.roles.find((g) => g.role === "TEMPLATE_AUTHOR" && g.node.level === level);
  return grant?.node ?? null;
}

export function canWrite(user: SignedInUser | null): boolean {
  return Boolean(user?.roles.some((g) => g.role === "TEMPLATE_AUTHOR"));
}
