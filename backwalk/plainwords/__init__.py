"""Plain words, measured: how hard each of backwalk's texts is to read, against its target.

`measure` scores a text in its language (targets.toml sets the targets, with their sources);
`texts` finds every wording in the rulebook; `pages` and `terminal` render the web pages, the
report and the command line's output in typical states and take their main text as a whole.
`python -m backwalk.plainwords` writes the table in docs/plain-words.md (`make docs`).
This is a tool for developers: it needs the dev extra (textstat), which backwalk never loads.
"""
