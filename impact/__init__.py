"""Partnership impact: a library for measuring whether schools working together made a difference.

Everything that is not drawing a page lives here, so it can be driven from a notebook, the
CLI (`python -m impact`) or the Streamlit app alike. Nothing in this package imports streamlit.
"""

__version__ = "0.1.0"
