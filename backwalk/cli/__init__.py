"""The command-line face of backwalk: thin adapters over the core library."""
