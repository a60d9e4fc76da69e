"""The content document: its schema (normalising, serialising, the rules a
whole record must meet) and the seed/import/export writes that apply it.

May import: core, publishing, catalogue, comparisons, questionnaire."""
