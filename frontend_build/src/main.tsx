// The app's entry: the query cache, the language (antd's locale and dayjs's follow it), the
// viewer, the routes.
import "./styles.css";
import "./i18n";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { App } from "./App";
import { ViewerProvider } from "./auth/ViewerContext";

// Someone who asked their system for less motion gets none: antd's dropdowns, drawers and
// messages appear without animation (and the browser tests, which ask too, never click a
// dropdown still sliding away).
const reducedMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

const queries = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

function Root() {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  dayjs.locale(english ? "en" : "zh-cn");
  document.documentElement.lang = english ? "en" : "zh-CN";
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={{ token: { colorPrimary: "#c8102e", motion: !reducedMotion } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <QueryClientProvider client={queries}>
          <ViewerProvider>
            <App />
          </ViewerProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
