"""What is content and what the public may see: the registry of content
models, the Publishable base and its QuerySet, the content version, the page
and data cache, and the signals that keep both in step with every write.

May import: core."""
