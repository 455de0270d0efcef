"""The public site: pages from an engine (builtin/ or Material), feeds, sitemap, redirects, pictures, search."""
