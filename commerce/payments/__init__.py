"""Payment providers behind one interface: cash on delivery and bank transfer now (offline,
confirmed by a person), Stripe later (asynchronous, confirmed by webhook).

Shape after pyHanko's timestamper package: :mod:`commerce.payments.api` declares the
interface; one module per provider implements it.
"""

from commerce.payments.api import PaymentProvider, PaymentSettings, PaymentStart, providers

__all__ = ["PaymentProvider", "PaymentSettings", "PaymentStart", "providers"]
