"""What every area of the API shares: the request's context and DataLoaders, node types read
through them, pagination, the mutation helper, errors, ids, the input rules, the registered
domain enums and the schema's extensions."""
