"""site.yml: read into frozen, validated settings (the site, its networks and calendar, its builds, its goals)."""
