"""The published Table Schemas of the transparency imports (package data, so wheels carry them)."""
