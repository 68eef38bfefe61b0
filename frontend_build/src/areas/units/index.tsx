// The units area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "units",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
