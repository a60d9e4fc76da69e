"""Roles and their guides (responsibilities, sources, dimensions, skills,
ways in, a typical week, anti-patterns, related roles, career paths) and the
glossary: models, reads, pages, sitemap entries and their admin.

May import: core, publishing (its views and admin: any domain)."""
