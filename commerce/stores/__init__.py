"""UMKM stores: opened by any account, approved or suspended by city staff."""
