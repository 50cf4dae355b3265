"""Self-contained HTML and SVG output (no CDN, no external scripts)."""
