"""Site search over roles, guides, comparisons and the glossary.

May import: core, publishing, catalogue, comparisons."""
