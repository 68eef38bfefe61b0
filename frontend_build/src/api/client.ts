// The one way the app talks to the API: POST /graphql with the session cookie and the CSRF
// header, as JSON, or as a multipart request (the GraphQL multipart request spec) when a
// variable holds a File. Each operation goes by the SHA-256 hash codegen registered it under
// (src/gql/persisted-documents.json, the server's allow-list), not as its text.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { Kind, print } from "graphql";

let csrfToken: string | null = sessionStorage.getItem("redline.csrf");

/** Remember the CSRF token the server gave with the viewer (null after signing out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem("redline.csrf", token);
  else sessionStorage.removeItem("redline.csrf");
}

/** An error the server answered outside a payload's `errors` (not signed in, a refused query, a
 * server fault): the message a person can read and the request id to quote. */
export class ApiError extends Error {
  readonly code: string | null;
  readonly requestId: string | null;

  constructor(message: string, code: string | null, requestId: string | null) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.requestId = requestId;
  }
}

type GraphQLResponse<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

/** Every File among the variables, with the dotted path the multipart map names it by. */
export function filesIn(value: unknown, path = "variables"): [string, File][] {
  if (typeof File !== "undefined" && value instanceof File) return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => filesIn(v, `${path}.${i}`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => filesIn(v, `${path}.${k}`));
  }
  return [];
}

function withoutFiles(value: unknown): unknown {
  if (typeof File !== "undefined" && value instanceof File) return null;
  if (Array.isArray(value)) return value.map(withoutFiles);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutFiles(v)]));
  }
  return value;
}

/** What names the operation in a request: its registered hash (else its text), and its name
 * (for the server's logs). */
export type Operation = { operationName?: string } & (
  | { query: string }
  | { extensions: { persistedQuery: { version: 1; sha256Hash: string } } }
);

/** The operation of a generated document: by the hash codegen embedded in it (a persisted
 * query), else by its printed text. */
export function operationOf(document: TypedDocumentNode<unknown, never>): Operation {
  const definition = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const named = definition?.name ? { operationName: definition.name.value } : {};
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (hash) {
    const sha256Hash = hash.replace(/^sha256:/, "");
    return { ...named, extensions: { persistedQuery: { version: 1, sha256Hash } } };
  }
  return { ...named, query: print(document) };
}

/** The request's body and headers: JSON, or multipart when the variables carry files. */
export function encode(operation: Operation, variables: object): { body: BodyInit; headers: HeadersInit } {
  const files = filesIn(variables);
  if (files.length === 0) {
    return {
      body: JSON.stringify({ ...operation, variables }),
      headers: { "Content-Type": "application/json" },
    };
  }
  const form = new FormData();
  form.append("operations", JSON.stringify({ ...operation, variables: withoutFiles(variables) }));
  form.append("map", JSON.stringify(Object.fromEntries(files.map(([path], i) => [String(i), [path]]))));
  files.forEach(([, file], i) => form.append(String(i), file, file.name));
  return { body: form, headers: {} };
}

/** Run one operation; resolves with its data, rejects with an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<TResult> {
  const operation = operationOf(document as TypedDocumentNode<unknown, never>);
  const { body, headers } = encode(operation, (variables ?? {}) as object);
  const allHeaders: Record<string, string> = { ...(headers as Record<string, string>) };
  if (csrfToken) allHeaders["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      body,
      headers: allHeaders,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("network", "NETWORK", null);
  }
  const requestId = response.headers.get("X-Request-Id");
  let json: GraphQLResponse<TResult>;
  try {
    json = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, "HTTP", requestId);
  }
  if (json.errors?.length) {
    const first = json.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? null, requestId);
  }
  if (!response.ok || json.data == null) {
    throw new ApiError(`HTTP ${response.status}`, "HTTP", requestId);
  }
  return json.data;
}
