"""Cash on delivery: the order proceeds unpaid; the seller records the cash on delivery."""

from __future__ import annotations

from commerce.payments.api import PaymentProvider, PaymentStart

__all__ = ["CashOnDelivery"]


class CashOnDelivery(PaymentProvider):
    method = "cod"

    def start(self, session, *, order_number, total, store, now) -> PaymentStart:
        return PaymentStart(
            order_status="processing",
            amount=total,
            reference=None,
            instructions={"message": "Bayar tunai kepada penjual saat pesanan diterima."},
            due_at=None,
        )
