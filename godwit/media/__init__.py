"""Media adapters: file stores (local files, S3) and image processing (Pillow)."""
