"""The GraphQL API: strawberry types, queries, mutations, dataloaders; served by redline.app."""
