"""The registry import: CSV and XLSX files into organisations or people, checked row by row.

`services` holds the steps (upload, map, dry run, commit) used by the pages, the background
task and the `klynge import` command alike; `plan` decides what each row does, `writer`
writes it in bulk, `readers` reads the files, and `messages` words the problems.
"""
