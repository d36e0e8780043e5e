"""How many units of a variant a shopper can still buy.

Today this is the stock the seller set. Checkout (allocations and live reservations) will
subtract from it here, so every reader of availability goes through this one module.
"""

from __future__ import annotations

from commerce.catalog.models import Variant

__all__ = ["available_quantity"]


def available_quantity(variant: Variant) -> int:
    return max(variant.stock, 0)
