// The jobs area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "jobs",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
