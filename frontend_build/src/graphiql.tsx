// GraphiQL, bundled (no CDN), talking to /graphql with the session cookie and CSRF header.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

const csrf = sessionStorage.getItem("redline.csrf");
const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  headers: csrf ? { "X-CSRF-Token": csrf } : {},
});

createRoot(document.getElementById("graphiql")!).render(<GraphiQL fetcher={fetcher} />);
