// GraphiQL, bundled (no CDN), talking to /graphql with the session cookie; it asks the viewer's
// CSRF token first, so mutations work once you have signed in to the app in this browser.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

async function csrfToken(): Promise<string | null> {
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ viewer { csrfToken } }" }),
      credentials: "same-origin",
    });
    const json = (await response.json()) as { data?: { viewer?: { csrfToken?: string } | null } };
    return json.data?.viewer?.csrfToken ?? null;
  } catch {
    return null;
  }
}

const token = await csrfToken();
const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  headers: token ? { "X-CSRF-Token": token } : {},
});

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={
      "# Sign in at / first: GraphiQL uses your browser's session.\n{\n  viewer {\n    user { username node { nameZh nameEn } }\n  }\n}\n"
    }
  />,
);
