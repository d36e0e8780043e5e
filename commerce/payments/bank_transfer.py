"""Bank transfer with a unique amount.

Indonesian banks show only the amount and sender of an incoming transfer, so each order asks
for its total plus a small unique code (Rp1 to Rp999): the amount alone tells the seller which
order was paid. The code is chosen so that no other pending transfer to the same account asks
for the same amount, and the database refuses one that does (a unique index on pending
transfers' account and amount, for two completions choosing at the same moment).
"""

from __future__ import annotations

import random

from sqlalchemy import select

from commerce.errors import Conflict
from commerce.orders.models import Order, Payment
from commerce.payments.api import PaymentProvider, PaymentSettings, PaymentStart

__all__ = ["BankTransfer"]


class BankTransfer(PaymentProvider):
    method = "bank_transfer"
    amount_identifies_order = True

    def __init__(self, settings: PaymentSettings):
        self.settings = settings
        self._random = random.SystemRandom()

    def _account(self, store) -> tuple[str, str, str]:
        if store.bank_account_number:
            return store.bank_name or "", store.bank_account_number, store.bank_account_name or store.name
        s = self.settings
        return s.bank_name, s.bank_account_number, s.bank_account_name

    def start(self, session, *, order_number, total, store, now) -> PaymentStart:
        bank, number, holder = self._account(store)
        pending_amounts = set(session.scalars(
            select(Payment.amount)
            .join(Order, Payment.order_id == Order.id)
            .where(Payment.method == self.method, Payment.status == "pending", Payment.reference == number,
                   Payment.amount.between(total + 1, total + 999))
        ))
        # Amounts already given out in this transaction but not yet written: a cart from two
        # stores that both use the city's account makes two orders in one completion.
        handed_out = session.info.setdefault("bank_transfer_amounts", set())
        free = [code for code in range(1, 1000)
                if total + code not in pending_amounts and (number, total + code) not in handed_out]
        if not free:
            raise Conflict(f"Rekening {bank} sedang menunggu 999 transfer dengan jumlah sekitar Rp{total:,}; "
                           "pilih metode pembayaran lain atau coba lagi nanti.".replace(",", "."))
        code = self._random.choice(free)
        amount = total + code
        handed_out.add((number, amount))
        due = now + self.settings.transfer_window
        return PaymentStart(
            order_status="awaiting_payment",
            amount=amount,
            reference=number,
            instructions={
                "bank": bank,
                "account_number": number,
                "account_name": holder,
                "amount": amount,
                "unique_code": code,
                "message": f"Transfer tepat Rp{amount:,} ke {bank} {number} a.n. {holder} "
                           f"sebelum batas waktu; tiga digit terakhir menandai pesanan {order_number}.".replace(",", "."),
            },
            due_at=due,
        )
