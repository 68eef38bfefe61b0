// i18next with the shell's words and every area's; Chinese by default, the choice remembered.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { areas } from "../areas";
import * as common from "./common";

export type Language = "zh" | "en";

export const LANGUAGE_KEY = "redline.language";

export function storedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "zh";
}

const resources = {
  zh: { translation: { ...common.zh, ...Object.fromEntries(areas.map((a) => [a.key, a.messages.zh])) } },
  en: { translation: { ...common.en, ...Object.fromEntries(areas.map((a) => [a.key, a.messages.en])) } },
};

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: "zh",
  interpolation: { escapeValue: false },
});

export function setLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  void i18n.changeLanguage(language);
}

export default i18n;
