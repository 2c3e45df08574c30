"""A page that draws nothing: the floor for page-speed figures (the app's own frame only)."""
