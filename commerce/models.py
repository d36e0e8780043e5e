"""Every commerce table, imported in one place so that Alembic sees the whole schema."""

from commerce.accounts.models import AccessToken, User, UserRole
from commerce.catalog.models import Product, ProductImage, Variant
from commerce.db import Base
from commerce.stores.models import Store

__all__ = ["Base", "User", "UserRole", "AccessToken", "Store", "Product", "Variant", "ProductImage"]
