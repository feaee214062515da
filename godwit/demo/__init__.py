"""`godwit demo`: a believable community, generated from a seed and written through the services."""
