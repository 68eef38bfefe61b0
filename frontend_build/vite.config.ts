// Vite: the app (index.html) and GraphiQL (graphiql.html), built into dist/ for Flask to serve;
// `npm run dev` proxies the API to the Flask server `make demo` starts on port 5000.
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const api = process.env.REDLINE_API ?? "http://127.0.0.1:5000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "index.html"),
        graphiql: resolve(import.meta.dirname, "graphiql.html"),
      },
    },
  },
  server: {
    proxy: {
      "/graphql": api,
      "/files": api,
      "/healthz": api,
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
