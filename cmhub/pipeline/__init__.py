"""The build as a story (story.py), the project it reads (project.py), and the site's files in the
order they are written (site_files.py)."""
