"""City accounts: shoppers, sellers and staff, their passwords and their access tokens."""
