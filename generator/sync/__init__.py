"""The stages of ``wfgen catalog sync`` (the use case is ``commands.catalog_sync``):
sources.py (files, folders, a git checkout at a revision), pages.py (what one product's
pages say per workflow), tree.py (the catalogue as ruamel.yaml round-trip trees, edited in
place), plan.py (compare one product -> findings and edits), provenance.py."""
