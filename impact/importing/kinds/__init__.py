"""The kinds of return a school or trust uploads, each with its template and its rules.

A kind knows its columns, how to read and check each row, and which store tables its rows
become. It knows nothing of files (that is `reading`) or of writing (that is `writing`).
"""
