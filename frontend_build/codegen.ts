// GraphQL Code Generator: types for every operation in src/**/*.graphql, from the committed
// schema. `npm run codegen` writes src/gql/; the build fails when src/gql/ is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../graphql_schema/schema.graphql",
  documents: ["src/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          ID: "string",
          Decimal: "string",
          Date: "string",
          DateTime: "string",
          Time: "string",
          JSON: "unknown",
          Upload: "File",
        },
      },
    },
  },
};

export default config;
