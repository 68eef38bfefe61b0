"""The templates area of the API: indicator templates, their families, items and veto rules."""
