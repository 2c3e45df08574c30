"""Names a hostile or careless person could give a file, school, partnership or cohort.

Each must be shown on every page exactly as typed: never as a link, an image, HTML, bold
type or a heading; and stored as plain text (the SQL-looking one changes nothing else).
"""

from __future__ import annotations

EVIL = "evil.example"
LINK = "[link](http://evil.example/x)"
IMAGE = "![x](http://evil.example/x.png)"
HTML = "<img src=x onerror=alert(1)>"
ANCHOR = '<a href="http://evil.example/a">click</a>'
BOLD = "**bold**"
SQL = "'; DROP TABLE attainment; --"
BARE = "see http://evil.example/bare and www.evil.com or me@evil.com"
DIRECTIVE = ":red[alarm] :material/warning: $x^2$ `code` # heading"

NAMES = (LINK, IMAGE, HTML, ANCHOR, BOLD, SQL, BARE, DIRECTIVE)
