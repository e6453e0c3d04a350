"""Start pages per role, assembled from panels that each area registers."""
