"""Request plumbing shared by every page: client address and rate limits,
middleware, health, logging, system checks, Markdown, SEO helpers, error views.

May import: Django and third-party packages only - no other domain."""
