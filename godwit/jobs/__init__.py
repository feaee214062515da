"""The jobs adapter: the loop that claims durable jobs and runs their handlers."""
