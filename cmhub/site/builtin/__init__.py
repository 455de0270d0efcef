"""The built-in engine: every HTML page of the site, from the Site and the theme's Jinja templates."""
