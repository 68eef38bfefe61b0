"""Security proofs: generated tenant isolation properties and GraphQL fuzzing."""
