"""``python -m generator`` runs the wfgen command line."""

from .cli import main

if __name__ == "__main__":
    main()
