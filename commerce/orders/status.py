"""The order state machine: which status may follow which, and who may move it.

awaiting_payment -> paid -> processing -> shipped | ready_for_pickup -> delivered -> completed
Cash-on-delivery orders start at processing (they proceed unpaid; the seller records the cash
when it is collected). Cancellation is possible until the goods leave the store; an unpaid
bank-transfer order expires when its payment deadline passes.
"""

from __future__ import annotations

__all__ = ["STATUSES", "TRANSITIONS", "TERMINAL", "allowed_actors", "GOODS_LEAVE"]

STATUSES = (
    "awaiting_payment", "paid", "processing", "shipped", "ready_for_pickup",
    "delivered", "completed", "cancelled", "expired",
)

STAFF = frozenset({"seller", "admin"})

# from -> {to: actors allowed}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "awaiting_payment": {
        "paid": STAFF | {"provider"},
        "cancelled": STAFF | {"buyer"},
        "expired": frozenset({"system"}),
    },
    "paid": {"processing": STAFF, "cancelled": STAFF},
    "processing": {"shipped": STAFF, "ready_for_pickup": STAFF, "cancelled": STAFF},
    "shipped": {"delivered": STAFF},
    "ready_for_pickup": {"delivered": STAFF},
    "delivered": {"completed": STAFF | {"buyer"}},
    "completed": {},
    "cancelled": {},
    "expired": {},
}

TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Entering these statuses means the goods have left the store: allocations become stock
# decreases. (A pickup order's goods leave when it is delivered, a delivery order's when shipped.)
GOODS_LEAVE = frozenset({"shipped", "delivered"})


def allowed_actors(from_status: str, to_status: str) -> frozenset[str]:
    return TRANSITIONS.get(from_status, {}).get(to_status, frozenset())
