// The reviews area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "reviews",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
