/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment UnitRef on Tenant {\n  id\n  code\n  nameZh\n  nameEn\n  level\n}\n\nquery Viewer {\n  viewer {\n    csrfToken\n    user {\n      id\n      username\n      displayName\n      node {\n        ...UnitRef\n      }\n      roles {\n        id\n        role\n        node {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}\n\nmutation SignIn($username: String!, $password: String!) {\n  signIn(input: {username: $username, password: $password}) {\n    viewer {\n      csrfToken\n    }\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation SignOut {\n  signOut {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}": typeof types.UnitRefFragmentDoc,
    "query UnitOptions($filter: TenantFilter, $first: Int) {\n  tenants(filter: $filter, first: $first) {\n    totalCount\n    edges {\n      node {\n        ...UnitRef\n        parent {\n          id\n          nameZh\n          nameEn\n        }\n      }\n    }\n  }\n}\n\nquery CycleOptions($filter: CycleFilter, $first: Int) {\n  cycles(filter: $filter, first: $first) {\n    edges {\n      node {\n        id\n        name\n        level\n        state\n        periodStart\n        periodEnd\n        owner {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}": typeof types.UnitOptionsDocument,
};
const documents: Documents = {
    "fragment UnitRef on Tenant {\n  id\n  code\n  nameZh\n  nameEn\n  level\n}\n\nquery Viewer {\n  viewer {\n    csrfToken\n    user {\n      id\n      username\n      displayName\n      node {\n        ...UnitRef\n      }\n      roles {\n        id\n        role\n        node {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}\n\nmutation SignIn($username: String!, $password: String!) {\n  signIn(input: {username: $username, password: $password}) {\n    viewer {\n      csrfToken\n    }\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation SignOut {\n  signOut {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}": types.UnitRefFragmentDoc,
    "query UnitOptions($filter: TenantFilter, $first: Int) {\n  tenants(filter: $filter, first: $first) {\n    totalCount\n    edges {\n      node {\n        ...UnitRef\n        parent {\n          id\n          nameZh\n          nameEn\n        }\n      }\n    }\n  }\n}\n\nquery CycleOptions($filter: CycleFilter, $first: Int) {\n  cycles(filter: $filter, first: $first) {\n    edges {\n      node {\n        id\n        name\n        level\n        state\n        periodStart\n        periodEnd\n        owner {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}": types.UnitOptionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment UnitRef on Tenant {\n  id\n  code\n  nameZh\n  nameEn\n  level\n}\n\nquery Viewer {\n  viewer {\n    csrfToken\n    user {\n      id\n      username\n      displayName\n      node {\n        ...UnitRef\n      }\n      roles {\n        id\n        role\n        node {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}\n\nmutation SignIn($username: String!, $password: String!) {\n  signIn(input: {username: $username, password: $password}) {\n    viewer {\n      csrfToken\n    }\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation SignOut {\n  signOut {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}"): (typeof documents)["fragment UnitRef on Tenant {\n  id\n  code\n  nameZh\n  nameEn\n  level\n}\n\nquery Viewer {\n  viewer {\n    csrfToken\n    user {\n      id\n      username\n      displayName\n      node {\n        ...UnitRef\n      }\n      roles {\n        id\n        role\n        node {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}\n\nmutation SignIn($username: String!, $password: String!) {\n  signIn(input: {username: $username, password: $password}) {\n    viewer {\n      csrfToken\n    }\n    errors {\n      field\n      message\n      code\n    }\n  }\n}\n\nmutation SignOut {\n  signOut {\n    errors {\n      field\n      message\n      code\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UnitOptions($filter: TenantFilter, $first: Int) {\n  tenants(filter: $filter, first: $first) {\n    totalCount\n    edges {\n      node {\n        ...UnitRef\n        parent {\n          id\n          nameZh\n          nameEn\n        }\n      }\n    }\n  }\n}\n\nquery CycleOptions($filter: CycleFilter, $first: Int) {\n  cycles(filter: $filter, first: $first) {\n    edges {\n      node {\n        id\n        name\n        level\n        state\n        periodStart\n        periodEnd\n        owner {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query UnitOptions($filter: TenantFilter, $first: Int) {\n  tenants(filter: $filter, first: $first) {\n    totalCount\n    edges {\n      node {\n        ...UnitRef\n        parent {\n          id\n          nameZh\n          nameEn\n        }\n      }\n    }\n  }\n}\n\nquery CycleOptions($filter: CycleFilter, $first: Int) {\n  cycles(filter: $filter, first: $first) {\n    edges {\n      node {\n        id\n        name\n        level\n        state\n        periodStart\n        periodEnd\n        owner {\n          ...UnitRef\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;