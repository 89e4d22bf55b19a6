"""The use cases, one module per command: each holds the command's frozen settings, its
result and the one function the CLI calls (``cli/`` parses options, calls it and formats
what it returns). Nothing here prints or exits."""
