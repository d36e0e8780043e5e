"""Checkout: a multi-store cart that reserves stock and completes into one order per store."""
