"""Every commerce table, imported in one place so that Alembic sees the whole schema."""

from commerce.accounts.models import AccessToken, User, UserRole
from commerce.catalog.models import Product, ProductImage, Variant
from commerce.checkout.models import Checkout, CheckoutLine, IdempotencyRecord
from commerce.db import Base
from commerce.inventory.models import Allocation, Reservation
from commerce.orders.models import Order, OrderLine, OrderStatusChange, Payment
from commerce.outbox import OutboxEvent
from commerce.pos.models import PosSale, PosSaleLine
from commerce.stores.models import DeliveryFee, Store

__all__ = [
    "Base", "User", "UserRole", "AccessToken", "Store", "DeliveryFee", "Product", "Variant", "ProductImage",
    "Checkout", "CheckoutLine", "IdempotencyRecord", "Reservation", "Allocation",
    "Order", "OrderLine", "OrderStatusChange", "Payment", "PosSale", "PosSaleLine", "OutboxEvent",
]
