import { describe, expect, it } from "vitest";
import { parse } from "graphql";
import { encode, filesIn, operationOf } from "./client";
import { ViewerDocument } from "../gql/graphql";
import { fieldPath } from "./errors";

describe("encode", () => {
  it("sends JSON when no variable is a file", () => {
    const { body, headers } = encode({ query: "query { viewer { csrfToken } }" }, { a: 1 });
    expect(headers).toEqual({ "Content-Type": "application/json" });
    expect(JSON.parse(body as string)).toEqual({ query: "query { viewer { csrfToken } }", variables: { a: 1 } });
  });

  it("sends a multipart request with a map naming where each file goes", async () => {
    const file = new File(["%PDF-1.7"], "report.pdf", { type: "application/pdf" });
    const { body, headers } = encode({ query: "mutation" }, { input: { files: [file], note: "x" } });
    expect(headers).toEqual({});
    const form = body as FormData;
    expect(JSON.parse(form.get("operations") as string)).toEqual({
      query: "mutation",
      variables: { input: { files: [null], note: "x" } },
    });
    expect(JSON.parse(form.get("map") as string)).toEqual({ "0": ["variables.input.files.0"] });
    expect((form.get("0") as File).name).toBe("report.pdf");
  });

  it("names a generated operation by its registered hash, without its text", () => {
    const operation = operationOf(ViewerDocument);
    expect(operation).toEqual({
      operationName: "Viewer",
      extensions: { persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    const { body } = encode(operation, {});
    expect(JSON.parse(body as string)).not.toHaveProperty("query");
  });

  it("sends the text of a document codegen did not register", () => {
    expect(operationOf(parse("{ __typename }"))).toEqual({ query: "{\n  __typename\n}" });
  });

  it("finds files nested in lists and objects", () => {
    const file = new File(["x"], "a.txt");
    expect(filesIn({ a: [{ b: file }] }).map(([path]) => path)).toEqual(["variables.a.0.b"]);
  });
});

describe("fieldPath", () => {
  it("turns an API field path into a form path", () => {
    expect(fieldPath("content.items[1].children[0].maxPoints")).toEqual([
      "content",
      "items",
      1,
      "children",
      0,
      "maxPoints",
    ]);
  });
});
