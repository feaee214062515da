"""The link-preview adapter: fetching public pages and images over HTTP (httpx), with SSRF
defence on every connection, and reading a page's meta tags (selectolax)."""
