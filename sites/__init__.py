"""Static sites (programme documentation, transparency, storefront, dashboard), their builders
and publisher, and the object-storage adapters every part of the platform shares."""
