"""The payment-provider interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

__all__ = ["PaymentProvider", "PaymentSettings", "PaymentStart", "providers", "METHODS"]

METHODS = ("cod", "bank_transfer", "stripe")


class PaymentSettings(NamedTuple):
    transfer_window: timedelta = timedelta(hours=24)
    # The city's collection account, used for stores that have not given their own.
    bank_name: str = "Bank Kaltimtara"
    bank_account_number: str = "0000000000"
    bank_account_name: str = "Behambinan Pemkot Samarinda (demo)"


class PaymentStart(NamedTuple):
    """What a provider decided when an order was placed."""

    order_status: str  # the order's first status
    amount: int  # what the buyer pays (may include an identifying unique code)
    reference: str | None
    instructions: dict  # shown to the buyer, e.g. where to transfer
    due_at: datetime | None  # unpaid after this, the order expires


class PaymentProvider(ABC):
    method: str
    #: Whether a person (seller or admin) confirms the payment; asynchronous providers are
    #: confirmed by the provider's own notification instead.
    confirmed_by_staff: bool = True
    #: Whether the amount alone tells which order was paid (a bank transfer's unique code), so
    #: that no two pending payments on one account may ask for the same amount; completion then
    #: retries when a concurrent one took it first (``commerce.checkout.completion``).
    amount_identifies_order: bool = False

    @abstractmethod
    def start(self, session: Session, *, order_number: str, total: int, store, now: datetime) -> PaymentStart:
        """Decide how this order will be paid (called inside the completion transaction)."""


def providers(settings: PaymentSettings | None = None) -> dict[str, PaymentProvider]:
    from commerce.payments.bank_transfer import BankTransfer
    from commerce.payments.cod import CashOnDelivery

    settings = settings or PaymentSettings()
    return {p.method: p for p in (CashOnDelivery(), BankTransfer(settings))}
