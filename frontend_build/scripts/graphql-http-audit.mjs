// The GraphQL-over-HTTP conformance audit (graphql-http's auditServer) against a running server:
// prints one JSON line per audit and exits 1 unless every audit is ok.
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node scripts/graphql-http-audit.mjs http://127.0.0.1:5000/graphql");
  process.exit(2);
}
const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  const line = { status: result.status, id: result.id, name: result.name };
  if (result.status !== "ok") {
    failed += 1;
    line.reason = result.reason;
  }
  console.log(JSON.stringify(line));
}
console.log(JSON.stringify({ total: results.length, notOk: failed }));
process.exit(failed ? 1 : 0);
