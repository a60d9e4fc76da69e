"""Editors at work: drafts and review (workflow), scheduled publication
(due, middleware), diffs, group permissions, the dashboard and the admin
workflow shared by every content admin.

May import: every domain below it (core up to content_io)."""
