"""Taking spreadsheets in: file -> reader -> validator -> one transaction in the store.

`reading` knows file formats and nothing of the store; `formats` and `kinds` know the rules of
each kind of return and nothing of files; `writing` is the one place rows reach the store;
`pipeline` joins them and is what the CLI and the Upload page call.
"""
