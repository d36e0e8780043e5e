"""Indonesian phone numbers, normalised to E.164 (+62...) with Google's phonenumbers data."""

from __future__ import annotations

import phonenumbers

from commerce.errors import InvalidInput

__all__ = ["normalise_phone", "whatsapp_number"]


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """``0812-3456-7890``, ``62812...`` and ``+62 812 ...`` all become ``+6281234567890``."""
    try:
        number = phonenumbers.parse(raw or "", "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput.field(field, "Nomor telepon tidak valid; contoh: 0812 3456 7890.")
    if number.country_code != 62:
        raise InvalidInput.field(field, "Gunakan nomor telepon Indonesia (+62).")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_number(phone: str) -> str:
    """The number as WhatsApp's click-to-chat links want it: digits only, country code first
    (``+6281234567890`` -> ``6281234567890``)."""
    return "".join(ch for ch in phone if ch.isdigit())
