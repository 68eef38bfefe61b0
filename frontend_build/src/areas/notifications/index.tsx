// The notifications area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "notifications",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
