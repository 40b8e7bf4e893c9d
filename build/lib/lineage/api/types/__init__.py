"""The GraphQL types, one module per family, each built from domain values by ``from_domain``."""
