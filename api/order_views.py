"""JSON of checkouts, orders and POS sales (ARCHITECTURE.md names the fixed fields)."""

from __future__ import annotations

import json

from api.serializers import published_contact, rupiah, store_brief, when
from commerce import places
from commerce.checkout.completion import PlacedOrder
from commerce.checkout.summary import CheckoutSummary
from commerce.orders.models import Order
from commerce.orders.status import TERMINAL, TRANSITIONS
from commerce.pos.models import PosSale

__all__ = ["checkout_json", "order_json", "completion_json", "pos_sale_json"]


def _address(street, kecamatan_code, kelurahan_code) -> dict | None:
    if not street:
        return None
    kec = places.find_kecamatan(kecamatan_code)
    kel = places.find_kelurahan(kec, kelurahan_code) if kec else None
    return {"street": street, "kecamatan": kec.name if kec else kecamatan_code,
            "kelurahan": kel.name if kel else kelurahan_code,
            "kecamatan_code": kecamatan_code, "kelurahan_code": kelurahan_code}


def checkout_json(summary: CheckoutSummary) -> dict:
    checkout, available = summary.checkout, summary.available
    lines = [
        {"id": line.id, "variant_id": line.variant_id, "product_id": line.variant.product_id,
         "product_name": line.variant.product.name, "variant_name": line.variant.name, "sku": line.variant.sku,
         "store_id": line.store_id, "quantity": line.quantity, "unit_price": line.variant.price,
         "total": line.variant.price * line.quantity, "available": available.get(line.variant_id, 0),
         "reserved": summary.reserved.get(line.variant_id, 0)}
        for line in checkout.lines
    ]
    stores = [{"store": store_brief(p.store), "delivery": p.delivery,
               "delivery_options": [m for m, on in (("delivery", p.store.offers_delivery), ("pickup", p.store.offers_pickup)) if on],
               "items_total": p.items_total, "delivery_fee": p.delivery_fee, "total": p.total} for p in summary.stores]
    return {
        "id": checkout.id,
        "lines": lines,
        "stores": stores,
        "totals": {"items": summary.items_total, "delivery": summary.delivery_total, "total": summary.total,
                   "total_display": rupiah(summary.total)},
        "reserved_until": when(summary.reserved_until),
        "email": checkout.email,
        "phone": checkout.phone,
        "name": checkout.name,
        "shipping_address": _address(checkout.street, checkout.kecamatan_code, checkout.kelurahan_code),
        "payment_method": checkout.payment_method,
        "delivery": {str(p.store.id): p.delivery for p in summary.stores},
        "completed": checkout.completed_at is not None,
    }


def _payment_json(order: Order) -> dict | None:
    if not order.payments:
        return None
    payment = order.payments[-1]
    return {"method": payment.method, "status": payment.status, "amount": payment.amount,
            "amount_display": rupiah(payment.amount), "instructions": json.loads(payment.instructions_json),
            "due_at": when(order.payment_due_at), "paid_at": when(payment.paid_at)}


def _store_contact(store) -> dict:
    """What a buyer needs to reach the store: what the seller chose to publish."""
    return store_brief(store) | {"opening_hours": store.opening_hours} | published_contact(store)


def seller_actions(order: Order) -> dict:
    """What the store may do with the order now: the statuses it may move it to, and whether
    it may record the money as received (a transfer that arrived, the cash of a COD order)."""
    statuses = [to for to, actors in TRANSITIONS.get(order.status, {}).items() if "seller" in actors
                and not (to == "paid")]  # a payment is recorded, not set: it says who confirmed what
    payable = (order.payment_status != "paid" and order.status not in TERMINAL
               and order.payment_method in ("cod", "bank_transfer"))
    return {"statuses": statuses, "record_payment": payable}


def order_json(order: Order, *, contact: bool = True) -> dict:
    """An order as its buyer and its seller see it (orders are never shown to anyone else).

    ``contact=False`` (an order found by number and phone) leaves out the buyer's email and
    street address: whoever knows both may see the order, not where the buyer lives."""
    data = {
        "id": order.id,
        "number": order.number,
        "store_id": order.store_id,
        "store": _store_contact(order.store),
        "status": order.status,
        "payment_method": order.payment_method,
        "payment_status": order.payment_status,
        "delivery_method": order.delivery_method,
        "items_total": order.items_total,
        "delivery_fee": order.delivery_fee,
        "total": order.total,
        "total_display": rupiah(order.total),
        "lines": [{"variant_id": l.variant_id, "product_name": l.product_name, "variant_name": l.variant_name,
                   "sku": l.sku, "unit_price": l.unit_price, "quantity": l.quantity, "total": l.total}
                  for l in order.lines],
        "buyer": {"name": order.buyer_name, "email": order.buyer_email if contact else None,
                  "phone": order.buyer_phone if contact else None},
        "shipping_address": _address(order.street, order.kecamatan_code, order.kelurahan_code) if contact else None,
        "payment": _payment_json(order),
        "history": [{"from": h.from_status, "to": h.to_status, "actor": h.actor, "note": h.note, "at": when(h.at)}
                    for h in order.history],
        "seller_actions": seller_actions(order),
        "created_at": when(order.created_at),
    }
    return data


def completion_json(placed: list[PlacedOrder], first_time: bool) -> tuple[int, dict]:
    orders = []
    for p in placed:
        entry = {"id": p.order.id, "number": p.order.number, "store_id": p.order.store_id,
                 "status": p.order.status, "total": p.order.total, "token": p.token,
                 "payment": _payment_json(p.order)}
        orders.append(entry)
    method = placed[0].order.payment_method if placed else None
    amount = sum((o["payment"] or {}).get("amount", 0) for o in orders)
    payment = {"method": method, "amount": amount, "amount_display": rupiah(amount),
               "per_order": [{"order_id": o["id"], "number": o["number"], **(o["payment"] or {})} for o in orders]}
    return (201 if first_time else 200), {"orders": orders, "payment": payment}


def pos_sale_json(sale: PosSale) -> dict:
    return {
        "id": sale.id, "receipt_number": sale.receipt_number, "store_id": sale.store_id,
        "payment": sale.payment, "total": sale.total, "total_display": rupiah(sale.total),
        "cash_received": sale.cash_received, "change_due": sale.change_due,
        "lines": [{"variant_id": l.variant_id, "product_name": l.product_name, "variant_name": l.variant_name,
                   "unit_price": l.unit_price, "quantity": l.quantity, "total": l.total} for l in sale.lines],
        "created_at": when(sale.created_at), "voided_at": when(sale.voided_at), "void_reason": sale.void_reason,
    }
