"""Stock that is never oversold: reservations for open checkouts, allocations for orders,
the locking that serialises buyers of the same units, and availability."""
