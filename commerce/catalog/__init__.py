"""The catalog: products with variants, categories, images, and public browsing."""
