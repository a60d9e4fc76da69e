"""The open data API (django-ninja), /api/v1/.

May import: any domain below it; nothing imports it but the URLconf."""
