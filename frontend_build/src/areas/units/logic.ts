// The units area's pure rules: which kinds may sit under a unit and at which level, and the
// create and update inputs from form values (an update sends only what changed).
import type { CreateTenantInput, CreateUserInput, Role, TenantKind, TenantLevel, UpdateTenantInput } from "../../gql/graphql";
import { ATTACHED_KINDS, isRegion, LEVELS, REGION_KINDS } from "../../kinds";

export function levelBelow(level: TenantLevel): TenantLevel | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null;
}

type Parent = { level: TenantLevel; kind: TenantKind };

/** The kinds a new unit under ``parent`` may have: a region one level down (only under a
 * region), or a department or affiliated unit at the parent's own level. */
export function childKinds(parent: Parent): TenantKind[] {
  const below = levelBelow(parent.level);
  const regions = isRegion(parent.kind) && below ? REGION_KINDS[below] : [];
  return [...regions, ...ATTACHED_KINDS];
}

/** The level of a new unit of ``kind`` under ``parent``. */
export function childLevel(parent: Parent, kind: TenantKind): TenantLevel {
  return isRegion(kind) ? (levelBelow(parent.level) ?? parent.level) : parent.level;
}

export type UnitValues = { code: string; nameZh: string; nameEn: string; kind: TenantKind };

export function createTenantInput(parent: Parent & { id: string }, values: UnitValues): CreateTenantInput {
  return {
    parentId: parent.id,
    code: values.code.trim(),
    nameZh: values.nameZh.trim(),
    nameEn: values.nameEn.trim(),
    kind: values.kind,
    level: childLevel(parent, values.kind),
  };
}

export type EditValues = UnitValues & { parentId?: string | null };
type Current = UnitValues & { id: string; parentId: string | null };

/** The update of ``current`` to ``values``: only the fields that changed; null when none did. */
export function updateTenantInput(current: Current, values: EditValues): UpdateTenantInput | null {
  const input: UpdateTenantInput = { id: current.id };
  for (const field of ["code", "nameZh", "nameEn"] as const) {
    const value = values[field].trim();
    if (value !== current[field]) input[field] = value;
  }
  if (values.kind !== current.kind) input.kind = values.kind;
  if (values.parentId && values.parentId !== current.parentId) input.parentId = values.parentId;
  return Object.keys(input).length > 1 ? input : null;
}

type Grant = { role: string; node: { id: string } };

/** Whether the user is an admin over this unit: an ADMIN grant on it or on one of its ancestors. */
export function administers(
  grants: readonly Grant[] | undefined,
  unit: { id: string; ancestors: readonly { id: string }[] },
): boolean {
  const above = new Set([unit.id, ...unit.ancestors.map((a) => a.id)]);
  return (grants ?? []).some((grant) => grant.role === "ADMIN" && above.has(grant.node.id));
}

/** Whether a unit of ``kind`` must have an English name: regions do; a department or an
 * affiliated unit may go by its Chinese name alone. */
export function needsEnglishName(kind: TenantKind | undefined): boolean {
  return !kind || isRegion(kind);
}

export type UserAction = "grant" | "disable" | "enable" | "resetPassword" | "tokens";

type ListedUser = { id: string; isActive: boolean; secondFactor: boolean; mustChangePassword: boolean };

/** What an admin may do to a user in the list: grant a role, disable or enable, reset the
 * password, see their API tokens. Nothing for a non-admin; for themselves only a grant (their
 * own password and tokens are on the account page, and they may not disable themselves). */
export function userActions(user: ListedUser, { admin, viewerId }: { admin: boolean; viewerId: string | null }): UserAction[] {
  if (!admin) return [];
  if (user.id === viewerId) return ["grant"];
  return user.isActive ? ["grant", "resetPassword", "tokens", "disable"] : ["enable", "tokens"];
}

export type UserTag = { key: "disabled" | "secondFactor" | "mustChangePassword"; color: string };

/** The tags a user's row carries: disabled, signs in with a second factor, must change the password. */
export function userTags(user: ListedUser): UserTag[] {
  const tags: UserTag[] = [];
  if (!user.isActive) tags.push({ key: "disabled", color: "default" });
  if (user.secondFactor) tags.push({ key: "secondFactor", color: "green" });
  if (user.mustChangePassword) tags.push({ key: "mustChangePassword", color: "orange" });
  return tags;
}

/** The createUser input from the form: trimmed names, the roles chosen (none: an empty list). */
export function createUserInput(
  nodeId: string,
  values: { username: string; displayName: string; roles?: Role[] | null },
): CreateUserInput {
  return {
    nodeId,
    username: values.username.trim(),
    displayName: values.displayName.trim(),
    roles: [...new Set(values.roles ?? [])],
  };
}
