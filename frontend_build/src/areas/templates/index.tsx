// The templates area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "templates",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
