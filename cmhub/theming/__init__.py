"""The theme: templates and static files (built in, overridden by name from theme/), and the readers' words."""
