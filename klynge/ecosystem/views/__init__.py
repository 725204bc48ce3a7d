"""The registry's staff pages, one module per record type. Thin: parse, call, render."""
