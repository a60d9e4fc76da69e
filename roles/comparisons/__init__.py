"""Curated comparisons of two to five roles: models, the pure comparison
table (table.py), the page selector, the address converter, pages and admin.

May import: core, publishing, catalogue (its views and admin: any domain)."""
