// What the template being shown calls its grades (一级 / 二级 / 三级 / 不达标): a page that knows
// its cycle's template provides them; a grade without a name there keeps the usual word.
import { createContext, useContext } from "react";
import type { Grade } from "../gql/graphql";

export type GradeNames = { [grade in Lowercase<Grade>]?: string | null };

export const GradeNamesContext = createContext<GradeNames | null | undefined>(null);

/** The template's name for a grade, or null when it keeps the usual word. */
export function gradeName(names: GradeNames | null | undefined, grade: Grade): string | null {
  return names?.[grade.toLowerCase() as Lowercase<Grade>] || null;
}

/** The name of a grade in the template the page shows, or null. */
export function useGradeName(grade: Grade | null | undefined): string | null {
  const names = useContext(GradeNamesContext);
  return grade ? gradeName(names, grade) : null;
}
