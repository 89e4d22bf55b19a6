"""Lint rules of this project that its linters do not have built in (used by `make lint`)."""
