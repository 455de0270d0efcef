"""The files a hub keeps in git about itself and a build reads: permalinks.lock, plan.lock, posts.lock, replies."""
