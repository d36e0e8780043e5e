"""Figures from SQL aggregates: a store's sales for its seller (and, later, the city's)."""
