// The rankings area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "rankings",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
