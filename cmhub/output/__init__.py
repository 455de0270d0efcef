"""Every byte cmhub writes: output folders put in place at once, their manifests, and sealed files of its cache."""
