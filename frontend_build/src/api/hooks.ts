// React Query over the client: typed queries keyed by operation and variables, and mutations
// whose payload errors come back beside the data (they are answers, not failures).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  type UseQueryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { getOperationAST } from "graphql";
import { request } from "./client";

export function operationName(document: TypedDocumentNode<unknown, unknown>): string {
  return getOperationAST(document)?.name?.value ?? "anonymous";
}

/** A query; re-runs when the variables change. `enabled: false` waits (e.g. for a pick). */
export function useGql<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: Omit<UseQueryOptions<TResult>, "queryKey" | "queryFn"> = {},
) {
  return useQuery<TResult>({
    queryKey: [operationName(document as TypedDocumentNode<unknown, unknown>), variables],
    queryFn: () => request(document, variables),
    ...options,
  });
}

/** A mutation; on success every query is refetched unless `keep` says which may stay. */
export function useGqlMutation<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  { invalidate = true }: { invalidate?: boolean } = {},
) {
  const client = useQueryClient();
  return useMutation<TResult, Error, TVariables>({
    mutationFn: (variables: TVariables) => request(document, variables),
    onSuccess: () => {
      if (invalidate) void client.invalidateQueries();
    },
  });
}
