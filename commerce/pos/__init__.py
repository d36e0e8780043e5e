"""Point of sale: in-store sales against the same stock as online orders."""
