// The cycles area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "cycles",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
