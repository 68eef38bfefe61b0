// End-to-end: Debian's Chromium (headless) against a fresh `redline demo` on its own port, its
// database and files in a folder of the run. One browser at a time: the tests change the demo
// in order (a submission, then its review, then the ranking).
import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// A free port and a fresh folder, chosen once by the main process and inherited by the workers
// (they load this file again), so two runs on one machine never meet.
if (!process.env.REDLINE_E2E_PORT) {
  process.env.REDLINE_E2E_PORT = execFileSync("python3", [
    "-c",
    "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
  ])
    .toString()
    .trim();
}
process.env.REDLINE_E2E_INSTANCE ??= mkdtempSync(join(tmpdir(), "redline-e2e-"));
const port = Number(process.env.REDLINE_E2E_PORT);
const instance = process.env.REDLINE_E2E_INSTANCE;
const redline = resolve(dirname(fileURLToPath(import.meta.url)), "..", ".venv", "bin", "redline");

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    // The app turns antd's animations off for this (src/main.tsx): a dropdown closes at once.
    contextOptions: { reducedMotion: "reduce" },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.REDLINE_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `${redline} demo --host 127.0.0.1 --port ${port} --instance ${instance}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: process.env.REDLINE_E2E_SERVER_LOG ? "pipe" : "ignore",
    // Stopped as an operator stops it, so it stops its embedded Redis too: killed outright
    // (Playwright's default), the demo left its redis-server running after every run.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
