// The assessments area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "assessments",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
