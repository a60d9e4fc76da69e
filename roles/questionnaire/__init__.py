"""“Which role am I?”: pure scoring, results, audit, impact, role map and
result card; the questionnaire models; loading it (selectors); storing a
submission (services); the quiz pages, forms and admin tools.

May import: core, publishing, catalogue, comparisons (its views and admin: any
domain)."""
