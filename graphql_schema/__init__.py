"""The GraphQL API, served by redline.app: one package per area of the domain, each with the same
files for the same roles (types, inputs, filters, queries, mutations, dataloaders), the machinery
they share in ``core``, and the schema assembled from them in ``schema``."""
